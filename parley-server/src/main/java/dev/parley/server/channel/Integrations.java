package dev.parley.server.channel;

import dev.parley.server.audit.AuditLog;
import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import dev.parley.server.secret.Fingerprints;
import dev.parley.server.secret.SecretBox;
import dev.parley.server.web.ApiException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The organization's WhatsApp integrations: create, read, partial update, soft delete. Secrets are encrypted
 * with {@link SecretBox} bound to row and field; the verify token is also kept as a keyed fingerprint for the
 * global webhook URL's lookup. Every change is audited and announced as {@link IntegrationChanged} after commit.
 */
@Service
class Integrations {

    static final String DEFAULT_GRAPH_BASE_URL = "https://graph.facebook.com";
    /** Meta's current Graph API version per the facts sheet (v25.0, 2026-02-18). */
    static final String DEFAULT_GRAPH_API_VERSION = "v25.0";

    private static final Pattern META_ID = Pattern.compile("[0-9]{1,40}");
    private static final Pattern API_VERSION = Pattern.compile("v[0-9]{1,3}\\.[0-9]{1,2}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A created or updated integration; {@code verifyToken} is the plaintext when it was just set, else null. */
    record Saved(Integration integration, String verifyToken) {
    }

    /** The phone number lookup {@code phone_number} needs (through Meta's {@code GET /{waba}/phone_numbers}). */
    interface PhoneNumberResolver {
        /** Answers the phone number id, display number and verified name of {@code number} in the WABA, or throws 422. */
        Resolved resolve(String graphBaseUrl, String graphApiVersion, String accessToken, String wabaId, String number);
    }

    record Resolved(String phoneNumberId, String displayPhoneNumber, String verifiedName) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final SecretBox box;
    private final Fingerprints fingerprints;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final PhoneNumberResolver resolver;

    Integrations(JdbcClient jdbc, TransactionTemplate tx, SecretBox box, Fingerprints fingerprints, AuditLog audit,
                 ApplicationEventPublisher events, PhoneNumberResolver resolver) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.box = box;
        this.fingerprints = fingerprints;
        this.audit = audit;
        this.events = events;
        this.resolver = resolver;
    }

    // ---- reading -------------------------------------------------------------------------------------------

    List<Integration> list(UUID orgId) {
        return jdbc.sql("SELECT " + Integration.COLUMNS + " FROM whatsapp_integrations "
                        + "WHERE org_id = ? AND deleted_at IS NULL ORDER BY created_at, id")
                .param(orgId).query(Integration.ROW).list();
    }

    Optional<Integration> find(UUID orgId, UUID id) {
        return jdbc.sql("SELECT " + Integration.COLUMNS + " FROM whatsapp_integrations "
                        + "WHERE org_id = ? AND id = ? AND deleted_at IS NULL")
                .params(orgId, id).query(Integration.ROW).optional();
    }

    /** 404 when it does not exist, is deleted, or belongs to another organization. */
    Integration get(UUID orgId, UUID id) {
        return find(orgId, id).orElseThrow(() -> ApiException.notFound("integration"));
    }

    /** Every live integration of every organization, oldest first (for background jobs). */
    List<Integration> listLive() {
        return jdbc.sql("SELECT " + Integration.COLUMNS + " FROM whatsapp_integrations "
                        + "WHERE deleted_at IS NULL ORDER BY created_at, id")
                .query(Integration.ROW).list();
    }

    /** Any live integration, whatever its organization (for internal callers that only have the id). */
    Optional<Integration> findLive(UUID id) {
        return jdbc.sql("SELECT " + Integration.COLUMNS + " FROM whatsapp_integrations WHERE id = ? AND deleted_at IS NULL")
                .param(id).query(Integration.ROW).optional();
    }

    String appSecret(Integration i) {
        return box.decrypt(i.appSecretEnc(), Integration.TABLE, i.id().toString(), Integration.APP_SECRET);
    }

    String accessToken(Integration i) {
        return box.decrypt(i.accessTokenEnc(), Integration.TABLE, i.id().toString(), Integration.ACCESS_TOKEN);
    }

    String verifyToken(Integration i) {
        return box.decrypt(i.verifyTokenEnc(), Integration.TABLE, i.id().toString(), Integration.VERIFY_TOKEN);
    }

    // ---- writing -------------------------------------------------------------------------------------------

    Saved create(Actor actor, IntegrationRequest req) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        if (req == null) {
            throw ApiException.badRequest("validation_failed", "the request body is required");
        }
        List<String> problems = new ArrayList<>();
        String wabaId = metaId("waba_id", req.wabaId(), true, problems);
        String accessToken = secretText("access_token", req.accessToken(), true, 4000, problems);
        String appId = metaId("app_id", req.appId(), false, problems);
        String appSecret = secretText("app_secret", req.appSecret(), false, 500, problems);
        String verifyToken = secretText("verify_token", req.verifyToken(), false, 200, problems);
        String phoneNumberId = metaId("phone_number_id", req.phoneNumberId(), false, problems);
        String phoneNumber = blankToNull(req.phoneNumber());
        if (phoneNumberId == null && phoneNumber == null) {
            problems.add("phone_number_id: give the phone number id or the phone_number itself");
        }
        if (phoneNumber != null && digits(phoneNumber).isEmpty()) {
            problems.add("phone_number: must contain digits");
        }
        String name = text("name", req.name(), 200, problems);
        String baseUrl = graphBaseUrl(req.graphBaseUrl(), problems);
        String version = apiVersion(req.graphApiVersion(), problems);
        fail(problems);

        String display = null;
        String verifiedName = null;
        if (phoneNumberId == null) {
            Resolved r = resolver.resolve(baseUrl, version, accessToken, wabaId, phoneNumber);
            phoneNumberId = r.phoneNumberId();
            display = r.displayPhoneNumber();
            verifiedName = r.verifiedName();
        }
        if (name == null) {
            name = verifiedName != null ? verifiedName : "WhatsApp " + (display != null ? display : phoneNumberId);
        }
        if (verifyToken == null) {
            verifyToken = randomToken();
        }
        UUID id = UUID.randomUUID();
        String rowId = id.toString();
        OffsetDateTime now = now();
        boolean enabled = req.enabled() == null || req.enabled();
        String webhookToken = randomToken();
        String finalName = name;
        String finalPhone = phoneNumberId;
        String finalDisplay = display;
        String finalVerifiedName = verifiedName;
        String finalVerifyToken = verifyToken;
        Integration created = tx.execute(status -> {
            requireFree(null, finalPhone, finalVerifyToken);
            try {
                jdbc.sql("INSERT INTO whatsapp_integrations (id, org_id, name, app_id, app_secret_enc, waba_id, "
                                + "phone_number_id, live_phone_number_id, display_phone_number, verified_name, "
                                + "access_token_enc, verify_token_enc, verify_token_fp, webhook_token, enabled, "
                                + "graph_base_url, graph_api_version, needs_new_credentials, created_at, updated_at) "
                                + "VALUES (:id, :org, :name, :appId, :appSecret, :waba, :phone, :phone, :display, "
                                + ":verifiedName, :accessToken, :verifyToken, :verifyFp, :webhookToken, :enabled, "
                                + ":baseUrl, :version, FALSE, :now, :now)")
                        .param("id", id).param("org", actor.orgId()).param("name", finalName).param("appId", appId)
                        .param("appSecret", box.encrypt(appSecret, Integration.TABLE, rowId, Integration.APP_SECRET))
                        .param("waba", wabaId).param("phone", finalPhone).param("display", finalDisplay)
                        .param("verifiedName", finalVerifiedName)
                        .param("accessToken", box.encrypt(accessToken, Integration.TABLE, rowId, Integration.ACCESS_TOKEN))
                        .param("verifyToken", box.encrypt(finalVerifyToken, Integration.TABLE, rowId, Integration.VERIFY_TOKEN))
                        .param("verifyFp", fingerprint(finalVerifyToken)).param("webhookToken", webhookToken)
                        .param("enabled", enabled).param("baseUrl", baseUrl).param("version", version)
                        .param("now", now).update();
            } catch (DuplicateKeyException e) {
                throw conflictFrom(e);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("integration_id", rowId);
            details.put("waba_id", wabaId);
            details.put("phone_number_id", finalPhone);
            details.put("enabled", enabled);
            audit.record(actor, "integration.created", finalName, details);
            return get(actor.orgId(), id);
        });
        events.publishEvent(new IntegrationChanged(actor.orgId(), id, IntegrationChanged.Kind.CREATED));
        return new Saved(created, finalVerifyToken);
    }

    Saved update(Actor actor, UUID id, IntegrationRequest req) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        Integration current = get(actor.orgId(), id);
        if (req == null) {
            return new Saved(current, null);
        }
        List<String> problems = new ArrayList<>();
        String name = text("name", req.name(), 200, problems);
        String appId = metaId("app_id", req.appId(), false, problems);
        String wabaId = metaId("waba_id", req.wabaId(), false, problems);
        String phoneNumberId = metaId("phone_number_id", req.phoneNumberId(), false, problems);
        String phoneNumber = blankToNull(req.phoneNumber());
        String accessToken = secretText("access_token", req.accessToken(), false, 4000, problems);
        boolean clearAppSecret = req.appSecret() != null && req.appSecret().isBlank();
        String appSecret = clearAppSecret ? null : secretText("app_secret", req.appSecret(), false, 500, problems);
        String verifyToken = secretText("verify_token", req.verifyToken(), false, 200, problems);
        String baseUrl = req.graphBaseUrl() == null ? null : graphBaseUrl(req.graphBaseUrl(), problems);
        String version = req.graphApiVersion() == null ? null : apiVersion(req.graphApiVersion(), problems);
        fail(problems);

        String display = null;
        String verifiedName = null;
        if (phoneNumberId == null && phoneNumber != null) {
            String token = accessToken != null ? accessToken : accessToken(current);
            Resolved r = resolver.resolve(baseUrl != null ? baseUrl : current.graphBaseUrl(),
                    version != null ? version : current.graphApiVersion(), token,
                    wabaId != null ? wabaId : current.wabaId(), phoneNumber);
            phoneNumberId = r.phoneNumberId();
            display = r.displayPhoneNumber();
            verifiedName = r.verifiedName();
        }

        List<String> changed = new ArrayList<>();
        Map<String, Object> set = new LinkedHashMap<>();
        String rowId = id.toString();
        if (name != null && !name.equals(current.name())) {
            set.put("name", name);
            changed.add("name");
        }
        if (appId != null && !appId.equals(current.appId())) {
            set.put("app_id", appId);
            changed.add("app_id");
        }
        if (wabaId != null && !wabaId.equals(current.wabaId())) {
            set.put("waba_id", wabaId);
            changed.add("waba_id");
        }
        boolean phoneChanged = phoneNumberId != null && !phoneNumberId.equals(current.phoneNumberId());
        if (phoneChanged) {
            set.put("phone_number_id", phoneNumberId);
            set.put("live_phone_number_id", phoneNumberId);
            set.put("display_phone_number", display);
            set.put("verified_name", verifiedName);
            changed.add("phone_number_id");
        }
        boolean credentials = false;
        if (clearAppSecret && current.appSecretEnc() != null) {
            set.put("app_secret_enc", null);
            changed.add("app_secret");
        } else if (appSecret != null) {
            set.put("app_secret_enc", box.encrypt(appSecret, Integration.TABLE, rowId, Integration.APP_SECRET));
            changed.add("app_secret");
            credentials = true;
        }
        if (accessToken != null) {
            set.put("access_token_enc", box.encrypt(accessToken, Integration.TABLE, rowId, Integration.ACCESS_TOKEN));
            changed.add("access_token");
            credentials = true;
        }
        if (verifyToken != null) {
            set.put("verify_token_enc", box.encrypt(verifyToken, Integration.TABLE, rowId, Integration.VERIFY_TOKEN));
            set.put("verify_token_fp", fingerprint(verifyToken));
            changed.add("verify_token");
        }
        if (baseUrl != null && !baseUrl.equals(current.graphBaseUrl())) {
            set.put("graph_base_url", baseUrl);
            changed.add("graph_base_url");
        }
        if (version != null && !version.equals(current.graphApiVersion())) {
            set.put("graph_api_version", version);
            changed.add("graph_api_version");
        }
        Boolean enabled = req.enabled() != null && req.enabled() != current.enabled() ? req.enabled() : null;
        if (enabled != null) {
            set.put("enabled", enabled);
        }
        if (credentials && current.needsNewCredentials()) {
            set.put("needs_new_credentials", false);
            set.put("credentials_problem", null);
        }
        if (set.isEmpty()) {
            return new Saved(current, null);
        }
        set.put("updated_at", now());
        String finalPhone = phoneChanged ? phoneNumberId : null;
        Integration updated = tx.execute(status -> {
            requireFree(id, finalPhone, verifyToken);
            StringBuilder sql = new StringBuilder("UPDATE whatsapp_integrations SET ");
            int n = 0;
            for (String column : set.keySet()) {
                sql.append(n++ == 0 ? "" : ", ").append(column).append(" = :").append(column);
            }
            sql.append(" WHERE org_id = :org_id_ AND id = :id_ AND deleted_at IS NULL");
            JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param("org_id_", actor.orgId()).param("id_", id);
            for (Map.Entry<String, Object> e : set.entrySet()) {
                spec = spec.param(e.getKey(), e.getValue());
            }
            try {
                if (spec.update() == 0) {
                    throw ApiException.notFound("integration");
                }
            } catch (DuplicateKeyException e) {
                throw conflictFrom(e);
            }
            if (!changed.isEmpty()) {
                audit.record(actor, "integration.updated", name != null ? name : current.name(),
                        Map.of("integration_id", rowId, "changed", changed));
            }
            if (enabled != null) {
                audit.record(actor, enabled ? "integration.enabled" : "integration.disabled",
                        name != null ? name : current.name(), Map.of("integration_id", rowId));
            }
            return get(actor.orgId(), id);
        });
        events.publishEvent(new IntegrationChanged(actor.orgId(), id, IntegrationChanged.Kind.UPDATED));
        return new Saved(updated, verifyToken);
    }

    void delete(Actor actor, UUID id) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        tx.executeWithoutResult(status -> {
            Integration current = get(actor.orgId(), id);
            jdbc.sql("UPDATE whatsapp_integrations SET deleted_at = :now, updated_at = :now, enabled = FALSE, "
                            + "live_phone_number_id = NULL, verify_token_fp = NULL "
                            + "WHERE org_id = :org AND id = :id AND deleted_at IS NULL")
                    .param("now", now()).param("org", actor.orgId()).param("id", id).update();
            audit.record(actor, "integration.deleted", current.name(),
                    Map.of("integration_id", id.toString(), "phone_number_id", current.phoneNumberId()));
        });
        events.publishEvent(new IntegrationChanged(actor.orgId(), id, IntegrationChanged.Kind.DELETED));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void requireFree(UUID self, String phoneNumberId, String verifyToken) {
        if (phoneNumberId != null) {
            Integer taken = jdbc.sql("SELECT COUNT(*) FROM whatsapp_integrations WHERE live_phone_number_id = ?"
                            + (self == null ? "" : " AND id <> ?"))
                    .params(self == null ? List.of(phoneNumberId) : List.of(phoneNumberId, self))
                    .query(Integer.class).single();
            if (taken > 0) {
                throw phoneTaken();
            }
        }
        if (verifyToken != null) {
            Integer taken = jdbc.sql("SELECT COUNT(*) FROM whatsapp_integrations WHERE verify_token_fp = ?"
                            + (self == null ? "" : " AND id <> ?"))
                    .params(self == null ? List.of(fingerprint(verifyToken)) : List.of(fingerprint(verifyToken), self))
                    .query(Integer.class).single();
            if (taken > 0) {
                throw verifyTokenTaken();
            }
        }
    }

    private static ApiException conflictFrom(DuplicateKeyException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("verify_fp")) {
            return verifyTokenTaken();
        }
        if (m.contains("live_phone")) {
            return phoneTaken();
        }
        return ApiException.conflict("conflict", "another integration conflicts with this one; try again");
    }

    private static ApiException phoneTaken() {
        return ApiException.conflict("phone_number_in_use",
                "this phone number id is already used by another integration; delete that one first");
    }

    private static ApiException verifyTokenTaken() {
        return ApiException.conflict("verify_token_in_use",
                "this verify token is already used by another integration; choose another one (or leave it out "
                        + "to have one generated)");
    }

    String fingerprint(String verifyToken) {
        return fingerprints.of(Integration.VERIFY_TOKEN_PURPOSE, verifyToken);
    }

    /** At least 128 random bits (here 192), base64url without padding. */
    static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    static String digits(String s) {
        return s == null ? "" : s.replaceAll("[^0-9]", "");
    }

    private static void fail(List<String> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("validation_failed", String.join("; ", problems));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String metaId(String field, String value, boolean required, List<String> problems) {
        String v = blankToNull(value);
        if (v == null) {
            if (required) {
                problems.add(field + ": is required");
            }
            return null;
        }
        if (!META_ID.matcher(v).matches()) {
            problems.add(field + ": must be Meta's numeric id (digits only)");
            return null;
        }
        return v;
    }

    private static String text(String field, String value, int max, List<String> problems) {
        String v = blankToNull(value);
        if (v != null && (v.length() > max || v.chars().anyMatch(Character::isISOControl))) {
            problems.add(field + ": at most " + max + " characters, no control characters");
            return null;
        }
        return v;
    }

    /** Secrets: surrounding whitespace (from copy and paste) removed; never echoed in messages. */
    private static String secretText(String field, String value, boolean required, int max, List<String> problems) {
        String v = blankToNull(value);
        if (v == null) {
            if (required) {
                problems.add(field + ": is required");
            }
            return null;
        }
        if (v.length() > max || v.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            problems.add(field + ": at most " + max + " characters, without spaces");
            return null;
        }
        return v;
    }

    private static String graphBaseUrl(String value, List<String> problems) {
        String v = blankToNull(value);
        if (v == null) {
            return DEFAULT_GRAPH_BASE_URL;
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            URI u = new URI(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getQuery() != null
                    || u.getFragment() != null || u.getUserInfo() != null || v.length() > 500) {
                throw new IllegalArgumentException();
            }
            return v;
        } catch (Exception e) {
            problems.add("graph_base_url: must be an http(s) URL such as " + DEFAULT_GRAPH_BASE_URL);
            return null;
        }
    }

    private static String apiVersion(String value, List<String> problems) {
        String v = blankToNull(value);
        if (v == null) {
            return DEFAULT_GRAPH_API_VERSION;
        }
        if (!v.startsWith("v")) {
            v = "v" + v;
        }
        if (!API_VERSION.matcher(v).matches()) {
            problems.add("graph_api_version: must look like " + DEFAULT_GRAPH_API_VERSION);
            return null;
        }
        return v;
    }
}
