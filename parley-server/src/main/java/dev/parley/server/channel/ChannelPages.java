package dev.parley.server.channel;

import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import dev.parley.server.secret.SecretBox;
import dev.parley.server.web.ApiException;
import dev.parley.server.web.UiController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The channel pages: the list with health at a glance, create and edit forms (secrets are write-only: the form
 * shows their mask and an empty field keeps them), the page of one channel with what to paste into Meta, "Test
 * connection", enable/disable and delete. Everything goes through {@link Integrations} and
 * {@link ConnectionTests}, the same code as the API, so the rules (roles, validation, audit) are the same.
 */
@UiController
@RequestMapping("/app/channels")
class ChannelPages {

    private final Integrations integrations;
    private final ConnectionTests tests;
    private final PublicUrls urls;

    ChannelPages(Integrations integrations, ConnectionTests tests, PublicUrls urls) {
        this.integrations = integrations;
        this.tests = tests;
        this.urls = urls;
    }

    /** One row of the list / the page of one channel, secrets masked. */
    record View(Integration i, String appSecretMask, String accessTokenMask, String verifyTokenMask,
                String verifyToken, String webhookUrl, String globalWebhookUrl) {
    }

    private View view(Actor actor, Integration i) {
        String verify = integrations.verifyToken(i);
        boolean manager = actor.role() != Role.AGENT;
        return new View(i, i.appSecretEnc() == null ? null : SecretBox.mask(integrations.appSecret(i)),
                SecretBox.mask(integrations.accessToken(i)), SecretBox.mask(verify), manager ? verify : null,
                urls.webhookUrl(i.webhookToken()), urls.globalWebhookUrl());
    }

    @GetMapping
    String list(Actor actor, Model model) {
        List<View> views = integrations.list(actor.orgId()).stream().map(i -> view(actor, i)).toList();
        model.addAttribute("channels", views);
        return "channels/list";
    }

    @GetMapping("/new")
    String createForm(Actor actor, Model model) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        ChannelForm form = new ChannelForm();
        form.setEnabled(true);
        model.addAttribute("form", form);
        model.addAttribute("editing", null);
        return "channels/form";
    }

    @PostMapping
    String create(Actor actor, @ModelAttribute("form") ChannelForm form, Model model, RedirectAttributes redirect) {
        try {
            Integrations.Saved saved = integrations.create(actor, form.toCreate());
            redirect.addFlashAttribute("flash", "Channel created. Paste the webhook URL and the verify token into Meta, "
                    + "then test the connection.");
            return "redirect:/app/channels/" + saved.integration().id();
        } catch (ApiException e) {
            if (e.status().value() == 403) {
                throw e;
            }
            form.clearSecrets();
            model.addAttribute("error", e.getMessage());
            model.addAttribute("editing", null);
            return "channels/form";
        }
    }

    @GetMapping("/{id}")
    String show(Actor actor, @PathVariable UUID id, Model model) {
        model.addAttribute("c", view(actor, integrations.get(actor.orgId(), id)));
        return "channels/show";
    }

    @GetMapping("/{id}/edit")
    String editForm(Actor actor, @PathVariable UUID id, Model model) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        Integration i = integrations.get(actor.orgId(), id);
        model.addAttribute("form", ChannelForm.of(i));
        model.addAttribute("editing", view(actor, i));
        return "channels/form";
    }

    @PostMapping("/{id}")
    String update(Actor actor, @PathVariable UUID id, @ModelAttribute("form") ChannelForm form, Model model,
                  RedirectAttributes redirect) {
        Integration current = integrations.get(actor.orgId(), id);
        try {
            integrations.update(actor, id, form.toUpdate());
            redirect.addFlashAttribute("flash", "Saved.");
            return "redirect:/app/channels/" + id;
        } catch (ApiException e) {
            if (e.status().value() == 403 || e.status().value() == 404) {
                throw e;
            }
            form.clearSecrets();
            model.addAttribute("error", e.getMessage());
            model.addAttribute("editing", view(actor, current));
            return "channels/form";
        }
    }

    @PostMapping("/{id}/enabled")
    String enable(Actor actor, @PathVariable UUID id, @RequestParam boolean value, RedirectAttributes redirect) {
        integrations.update(actor, id, new IntegrationRequest(null, null, null, null, null, null, null, null, value,
                null, null));
        redirect.addFlashAttribute("flash", value ? "Enabled." : "Disabled: Meta's webhooks for it are refused.");
        return "redirect:/app/channels/" + id;
    }

    @PostMapping("/{id}/delete")
    String delete(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
        integrations.delete(actor, id);
        redirect.addFlashAttribute("flash", "Channel deleted.");
        return "redirect:/app/channels";
    }

    /** htmx: runs the connection test and answers the result fragment. */
    @PostMapping("/{id}/test")
    String test(Actor actor, @PathVariable UUID id, Model model) {
        Map<String, Object> result = tests.test(actor, id);
        model.addAttribute("result", result);
        return "channels/show :: testResult";
    }

    /** The form's fields (strings as typed). Secrets are never sent back to the browser. */
    public static class ChannelForm {
        private String name;
        private String appId;
        private String appSecret;
        private boolean removeAppSecret;
        private String wabaId;
        private String phoneNumberId;
        private String phoneNumber;
        private String accessToken;
        private String verifyToken;
        private boolean enabled;
        private String graphBaseUrl;
        private String graphApiVersion;

        static ChannelForm of(Integration i) {
            ChannelForm f = new ChannelForm();
            f.name = i.name();
            f.appId = i.appId();
            f.wabaId = i.wabaId();
            f.phoneNumberId = i.phoneNumberId();
            f.enabled = i.enabled();
            f.graphBaseUrl = i.graphBaseUrl();
            f.graphApiVersion = i.graphApiVersion();
            return f;
        }

        IntegrationRequest toCreate() {
            return new IntegrationRequest(blank(name), blank(appId), blank(appSecret), blank(wabaId),
                    blank(phoneNumberId), blank(phoneNumber), blank(accessToken), blank(verifyToken), enabled,
                    blank(graphBaseUrl), blank(graphApiVersion));
        }

        /** Empty secret fields keep the stored secret; "remove the app secret" sends the API's {@code ""}. */
        IntegrationRequest toUpdate() {
            return new IntegrationRequest(blank(name), blank(appId), removeAppSecret ? "" : blank(appSecret),
                    blank(wabaId), blank(phoneNumberId), blank(phoneNumber), blank(accessToken), blank(verifyToken),
                    enabled, blank(graphBaseUrl), blank(graphApiVersion));
        }

        void clearSecrets() {
            appSecret = null;
            accessToken = null;
        }

        private static String blank(String s) {
            return s == null || s.isBlank() ? null : s;
        }

        public String getName() { return name; }
        public void setName(String v) { name = v; }
        public String getAppId() { return appId; }
        public void setAppId(String v) { appId = v; }
        public String getAppSecret() { return appSecret; }
        public void setAppSecret(String v) { appSecret = v; }
        public boolean isRemoveAppSecret() { return removeAppSecret; }
        public void setRemoveAppSecret(boolean v) { removeAppSecret = v; }
        public String getWabaId() { return wabaId; }
        public void setWabaId(String v) { wabaId = v; }
        public String getPhoneNumberId() { return phoneNumberId; }
        public void setPhoneNumberId(String v) { phoneNumberId = v; }
        public String getPhoneNumber() { return phoneNumber; }
        public void setPhoneNumber(String v) { phoneNumber = v; }
        public String getAccessToken() { return accessToken; }
        public void setAccessToken(String v) { accessToken = v; }
        public String getVerifyToken() { return verifyToken; }
        public void setVerifyToken(String v) { verifyToken = v; }
        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean v) { enabled = v; }
        public String getGraphBaseUrl() { return graphBaseUrl; }
        public void setGraphBaseUrl(String v) { graphBaseUrl = v; }
        public String getGraphApiVersion() { return graphApiVersion; }
        public void setGraphApiVersion(String v) { graphApiVersion = v; }
    }
}
