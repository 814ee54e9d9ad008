package dev.parley.server.webhook;

import dev.parley.cloudapi.webhook.MessageEvent;
import dev.parley.cloudapi.webhook.StatusEvent;
import dev.parley.cloudapi.webhook.TemplateCategoryUpdate;
import dev.parley.cloudapi.webhook.TemplateStatusUpdate;
import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationRoute;
import dev.parley.server.channel.IntegrationSignals;
import dev.parley.server.messaging.InboundContext;
import dev.parley.server.messaging.InboundGroup;
import dev.parley.server.messaging.InboundItems;
import dev.parley.server.messaging.InboundResult;
import dev.parley.server.template.TemplateUpdates;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Plain-JUnit support for the webhook feature's core classes: a real H2 database migrated by Flyway, in-memory
 * fakes of the seams (directory, signals, inbound items, template updates, audit) and payload builders.
 */
final class WebhookTestKit {

    static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:webhook-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    static TransactionTemplate tx(DataSource ds) {
        return new TransactionTemplate(new DataSourceTransactionManager(ds));
    }

    static IntegrationRoute route(String phone, String waba, String secret) {
        return route(UUID.randomUUID(), phone, waba, secret, true);
    }

    static IntegrationRoute route(UUID org, String phone, String waba, String secret, boolean enabled) {
        return new IntegrationRoute(UUID.randomUUID(), org, "Shop " + phone, enabled, "app-1", waba, phone, secret,
                "verify-" + phone, "hook-" + phone);
    }

    static final class FakeDirectory implements IntegrationDirectory {
        final Map<UUID, IntegrationRoute> routes = new ConcurrentHashMap<>();

        IntegrationRoute add(IntegrationRoute r) {
            routes.put(r.integrationId(), r);
            return r;
        }

        @Override
        public Optional<IntegrationRoute> byWebhookToken(String token) {
            return routes.values().stream().filter(r -> r.webhookToken().equals(token)).findFirst();
        }

        @Override
        public Optional<IntegrationRoute> byVerifyToken(String token) {
            return routes.values().stream().filter(r -> r.verifyToken().equals(token)).findFirst();
        }

        @Override
        public Optional<IntegrationRoute> byPhoneNumberId(String phone) {
            return routes.values().stream().filter(r -> phone.equals(r.phoneNumberId())).findFirst();
        }

        @Override
        public Optional<IntegrationRoute> byId(UUID id) {
            return Optional.ofNullable(routes.get(id));
        }

        @Override
        public List<IntegrationRoute> byWabaId(String waba) {
            return routes.values().stream().filter(r -> waba.equals(r.wabaId())).toList();
        }
    }

    static final class FakeSignals implements IntegrationSignals {
        final List<String> rejected = new CopyOnWriteArrayList<>();
        final List<UUID> received = new CopyOnWriteArrayList<>();
        final List<String> accountEvents = new CopyOnWriteArrayList<>();

        @Override
        public void webhookReceived(UUID integrationId, Instant at) {
            received.add(integrationId);
        }

        @Override
        public void webhookRejected(UUID integrationId, String reason) {
            rejected.add(integrationId + ": " + reason);
        }

        @Override
        public void credentialsRejected(UUID integrationId, int metaCode, String metaMessage) {
        }

        @Override
        public void accountEvent(UUID integrationId, String field, String event, String rawJson) {
            accountEvents.add(integrationId + " " + field + " " + event);
        }
    }

    /** Stores messages once per (integration, wamid) and statuses once per (wamid, status), like messaging. */
    static final class FakeInbound implements InboundItems {
        final Set<String> messages = ConcurrentHashMap.newKeySet();
        final Set<String> statuses = ConcurrentHashMap.newKeySet();
        final List<InboundContext> calls = new CopyOnWriteArrayList<>();
        final List<String> seenMessages = new CopyOnWriteArrayList<>();
        volatile RuntimeException failWith;
        /** Fails any call that carries this message wamid (one bad delivery among others). */
        volatile String failOnWamid;

        @Override
        public InboundResult apply(InboundContext context, List<MessageEvent> ms, List<StatusEvent> ss) {
            if (failWith != null) {
                throw failWith;
            }
            if (failOnWamid != null && ms.stream().anyMatch(m -> failOnWamid.equals(m.message().id()))) {
                throw new IllegalStateException("cannot store " + failOnWamid);
            }
            calls.add(context);
            int stored = 0;
            int dup = 0;
            int applied = 0;
            int sdup = 0;
            List<UUID> ids = new ArrayList<>();
            for (MessageEvent m : ms) {
                seenMessages.add(context.integrationId() + "/" + m.message().id());
                if (messages.add(context.integrationId() + "/" + m.message().id())) {
                    stored++;
                    ids.add(UUID.randomUUID());
                } else {
                    dup++;
                }
            }
            for (StatusEvent s : ss) {
                if (statuses.add(s.status().id() + "/" + s.status().status())) {
                    applied++;
                } else {
                    sdup++;
                }
            }
            return new InboundResult(stored, dup, applied, sdup, ids);
        }

        /** All or nothing, like messaging in its transaction: a failing group leaves no trace of the others. */
        @Override
        public List<InboundResult> applyAll(List<InboundGroup> groups) {
            for (InboundGroup g : groups) {
                if (failWith != null) {
                    throw failWith;
                }
                if (failOnWamid != null && g.messages().stream().anyMatch(m -> failOnWamid.equals(m.message().id()))) {
                    throw new IllegalStateException("cannot store " + failOnWamid);
                }
            }
            return InboundItems.super.applyAll(groups);
        }

        Set<String> wamids() {
            return messages.stream().map(s -> s.substring(s.indexOf('/') + 1)).collect(Collectors.toSet());
        }
    }

    static final class FakeTemplates implements TemplateUpdates {
        final List<String> updates = new CopyOnWriteArrayList<>();

        @Override
        public void statusUpdated(UUID orgId, UUID integrationId, TemplateStatusUpdate update) {
            updates.add(integrationId + " status " + update.templateName() + " " + update.event());
        }

        @Override
        public void categoryUpdated(UUID orgId, UUID integrationId, TemplateCategoryUpdate update) {
            updates.add(integrationId + " category " + update.templateName() + " " + update.newCategory());
        }
    }

    static final class FakeAudit implements DeliveryProcessor.AuditSink {
        final List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void received(UUID orgId, String subject, Map<String, Object> details) {
            events.add(Map.of("org", orgId, "subject", subject, "details", details));
        }
    }

    // ------------------------------------------------------------------ payloads

    static String text(String wamid, String from, String body) {
        return "{\"from\":\"" + from + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"1700000000\",\"type\":\"text\","
                + "\"text\":{\"body\":\"" + body + "\"}}";
    }

    static String status(String wamid, String status) {
        return "{\"id\":\"" + wamid + "\",\"status\":\"" + status + "\",\"timestamp\":\"1700000001\","
                + "\"recipient_id\":\"15551234567\"}";
    }

    /** A {@code messages} change for a number with messages and statuses (JSON objects as text). */
    static String messagesChange(String phone, List<String> messages, List<String> statuses) {
        StringBuilder v = new StringBuilder("{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                + "\"1555000" + phone.substring(Math.max(0, phone.length() - 4)) + "\",\"phone_number_id\":\"" + phone
                + "\"},\"contacts\":[{\"profile\":{\"name\":\"Ana\"},\"wa_id\":\"15551234567\"}]");
        if (!messages.isEmpty()) {
            v.append(",\"messages\":[").append(String.join(",", messages)).append(']');
        }
        if (!statuses.isEmpty()) {
            v.append(",\"statuses\":[").append(String.join(",", statuses)).append(']');
        }
        return "{\"value\":" + v.append('}') + ",\"field\":\"messages\"}";
    }

    static String templateChange(String name, String event) {
        return "{\"value\":{\"event\":\"" + event + "\",\"message_template_id\":123,\"message_template_name\":\"" + name
                + "\",\"message_template_language\":\"en_US\",\"reason\":\"NONE\"},"
                + "\"field\":\"message_template_status_update\"}";
    }

    static String accountChange(String event) {
        return "{\"value\":{\"phone_number\":\"15550001234\",\"event\":\"" + event + "\"},\"field\":\"account_update\"}";
    }

    static String entry(String waba, String... changes) {
        return "{\"id\":\"" + waba + "\",\"changes\":[" + String.join(",", changes) + "]}";
    }

    static String payload(String... entries) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    static int count(JdbcClient jdbc, String where) {
        return jdbc.sql("SELECT COUNT(*) FROM webhook_deliveries WHERE " + where).query(Integer.class).single();
    }

    private WebhookTestKit() {
    }
}
