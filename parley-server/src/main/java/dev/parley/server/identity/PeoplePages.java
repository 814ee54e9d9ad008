package dev.parley.server.identity;

import dev.parley.server.web.ApiException;
import dev.parley.server.web.UiController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.UUID;

/**
 * People and API tokens: owners add users (with a password to sign in), change roles and remove users; owners and
 * admins create API tokens (the secret is shown once) and revoke them. The same rules as the API (the last owner
 * stays, emails are unique).
 */
@UiController
@RequestMapping("/app/people")
class PeoplePages {

    private final Users users;
    private final ApiTokens tokens;

    PeoplePages(Users users, ApiTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @GetMapping
    String page(Actor actor, Model model) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        model.addAttribute("users", users.list(actor.orgId()));
        model.addAttribute("tokens", tokens.list(actor.orgId()));
        model.addAttribute("roles", Role.values());
        return "people/index";
    }

    @PostMapping("/users")
    String addUser(Actor actor, @RequestParam String email, @RequestParam(defaultValue = "") String name,
                   @RequestParam String role, @RequestParam String password, RedirectAttributes redirect) {
        actor.requireRole(Role.OWNER);
        return act(redirect, () -> {
            Role r = Role.parse(role).orElseThrow(() -> ApiException.badRequest("validation_failed", "role: unknown"));
            users.create(actor.orgId(), actor.email(), email, name, r, password);
            return "Added " + email + ".";
        });
    }

    @PostMapping("/users/{id}/role")
    String role(Actor actor, @PathVariable UUID id, @RequestParam String role, RedirectAttributes redirect) {
        actor.requireRole(Role.OWNER);
        return act(redirect, () -> {
            Role r = Role.parse(role).orElseThrow(() -> ApiException.badRequest("validation_failed", "role: unknown"));
            return users.changeRole(actor.orgId(), actor.email(), id, r).email() + " is now " + r.wireName() + ".";
        });
    }

    @PostMapping("/users/{id}/delete")
    String delete(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
        actor.requireRole(Role.OWNER);
        return act(redirect, () -> {
            users.delete(actor.orgId(), actor.email(), id);
            return "Removed.";
        });
    }

    @PostMapping("/tokens")
    String issue(Actor actor, @RequestParam String name, RedirectAttributes redirect) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        return act(redirect, () -> {
            IssuedToken issued = tokens.issue(actor.orgId(), actor.email(), actor.userId(), name);
            redirect.addFlashAttribute("secret", issued.secret());
            return "Token \u201c" + issued.token().name() + "\u201d created: copy it now, it is not shown again.";
        });
    }

    @PostMapping("/tokens/{id}/revoke")
    String revoke(Actor actor, @PathVariable UUID id, RedirectAttributes redirect) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        return act(redirect, () -> {
            tokens.revoke(actor.orgId(), actor.email(), id);
            return "Revoked.";
        });
    }

    private static String act(RedirectAttributes redirect, java.util.function.Supplier<String> action) {
        try {
            redirect.addFlashAttribute("flash", action.get());
        } catch (ApiException e) {
            if (e.status().value() == 404 || e.status().value() == 403) {
                throw e;
            }
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/app/people";
    }
}
