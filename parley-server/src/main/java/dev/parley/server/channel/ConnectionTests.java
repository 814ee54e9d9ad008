package dev.parley.server.channel;

import dev.parley.cloudapi.graph.Classification;
import dev.parley.cloudapi.graph.GraphApiException;
import dev.parley.cloudapi.graph.GraphException;
import dev.parley.cloudapi.graph.PhoneNumber;
import dev.parley.server.audit.AuditLog;
import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * "Test connection": {@code GET /{phone_number_id}} with the integration's settings. Records the outcome on the
 * integration, audits it, and flags the integration when Meta says the token is no good (190).
 */
@Service
class ConnectionTests {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTests.class);

    private final Integrations integrations;
    private final ChannelIntegrationClients clients;
    private final ChannelSignals signals;
    private final AuditLog audit;
    private final JdbcClient jdbc;

    ConnectionTests(Integrations integrations, ChannelIntegrationClients clients, ChannelSignals signals,
                    AuditLog audit, JdbcClient jdbc) {
        this.integrations = integrations;
        this.clients = clients;
        this.signals = signals;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    Map<String, Object> test(Actor actor, UUID id) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        Integration i = integrations.get(actor.orgId(), id);
        OffsetDateTime now = Integrations.now();
        Map<String, Object> answer = new LinkedHashMap<>();
        try {
            PhoneNumber pn = clients.client(i).getPhoneNumber(i.phoneNumberId());
            jdbc.sql("UPDATE whatsapp_integrations SET last_test_at = ?, last_test_status = 'ok', last_test_code = NULL, "
                            + "last_test_message = NULL, display_phone_number = COALESCE(?, display_phone_number), "
                            + "verified_name = COALESCE(?, verified_name) WHERE id = ? AND org_id = ?")
                    .params(now, pn.displayPhoneNumber(), pn.verifiedName(), i.id(), i.orgId()).update();
            audit.record(actor, "integration.tested", i.name(), Map.of("integration_id", i.id().toString(), "ok", true));
            answer.put("ok", true);
            answer.put("display_phone_number", pn.displayPhoneNumber());
            answer.put("verified_name", pn.verifiedName());
            answer.put("quality_rating", pn.qualityRating());
        } catch (GraphException e) {
            GraphApiException api = e instanceof GraphApiException a ? a : null;
            Integer code = api == null ? null : api.code();
            String message = api == null ? "could not reach " + i.graphBaseUrl() : api.message();
            String hint = GraphHints.hint(e, i.graphBaseUrl());
            log.info("Integration {}: test connection failed: {}", i.id(), api == null ? e.getMessage() : "Meta error " + code);
            jdbc.sql("UPDATE whatsapp_integrations SET last_test_at = ?, last_test_status = 'error', last_test_code = ?, "
                            + "last_test_message = ? WHERE id = ? AND org_id = ?")
                    .params(now, code, clip(message), i.id(), i.orgId()).update();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("integration_id", i.id().toString());
            details.put("ok", false);
            details.put("meta_code", code);
            audit.record(actor, "integration.tested", i.name(), details);
            if (api != null && (api.code() == 190 || api.classification() == Classification.REAUTHORIZE)) {
                signals.credentialsRejected(i.id(), api.code(), api.message());
            }
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", code);
            error.put("subcode", api == null ? null : api.subcode());
            error.put("message", message);
            error.put("hint", hint);
            answer.put("ok", false);
            answer.put("error", error);
        }
        answer.put("tested_at", now);
        return answer;
    }

    private static String clip(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
