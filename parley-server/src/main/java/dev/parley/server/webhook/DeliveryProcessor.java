package dev.parley.server.webhook;

import dev.parley.cloudapi.signature.WebhookSignature;
import dev.parley.cloudapi.webhook.AccountUpdate;
import dev.parley.cloudapi.webhook.ChangeValue;
import dev.parley.cloudapi.webhook.InboundMessage;
import dev.parley.cloudapi.webhook.MessageEvent;
import dev.parley.cloudapi.webhook.MessageStatus;
import dev.parley.cloudapi.webhook.MessagesValue;
import dev.parley.cloudapi.webhook.PhoneNumberQualityUpdate;
import dev.parley.cloudapi.webhook.StatusEvent;
import dev.parley.cloudapi.webhook.TemplateCategoryUpdate;
import dev.parley.cloudapi.webhook.TemplateStatusUpdate;
import dev.parley.cloudapi.webhook.UnknownChangeValue;
import dev.parley.cloudapi.webhook.WebhookChange;
import dev.parley.cloudapi.webhook.WebhookEntry;
import dev.parley.cloudapi.webhook.WebhookParseException;
import dev.parley.cloudapi.webhook.WebhookParser;
import dev.parley.cloudapi.webhook.WebhookPayload;
import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationRoute;
import dev.parley.server.channel.IntegrationSignals;
import dev.parley.server.messaging.InboundContext;
import dev.parley.server.messaging.InboundGroup;
import dev.parley.server.messaging.InboundItems;
import dev.parley.server.messaging.InboundResult;
import dev.parley.server.template.TemplateUpdates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static dev.parley.server.webhook.DeliveryState.*;

/**
 * Processes stored deliveries after the 200: claims them (safe with several nodes), parses them with
 * {@link WebhookParser}, routes EVERY change of EVERY entry by its {@code metadata.phone_number_id} (or its entry's
 * WABA), checks that the integration it routes to has the app secret the delivery was signed with, and hands every
 * message and status to {@link InboundItems}, template updates to {@link TemplateUpdates} and account events to
 * {@link IntegrationSignals}; then records the outcome, all in one transaction per delivery. A failure rolls the
 * delivery back and it is retried with backoff. Parts no integration knows are remembered by their routing keys
 * and processed again when such an integration appears.
 */
final class DeliveryProcessor {

    private static final Logger log = LoggerFactory.getLogger(DeliveryProcessor.class);
    static final String AUDIT_ACTION = "webhook.inbound.received";
    /** Change fields (besides the typed ones) that describe the account or a number and flag the integration. */
    static final Set<String> ACCOUNT_FIELDS = Set.of("account_alerts", "account_review_update",
            "business_capability_update", "phone_number_name_update", "security", "payment_configuration_update");

    /** Where {@code webhook.inbound.received} goes (the audit log; a fake in unit tests). */
    interface AuditSink {
        void received(UUID orgId, String subject, Map<String, Object> details);

        /** Many at once (one batched insert in the real audit log). */
        default void receivedAll(List<Received> all) {
            for (Received r : all) {
                received(r.orgId(), r.subject(), r.details());
            }
        }
    }

    /** One {@code webhook.inbound.received} audit event. */
    record Received(UUID orgId, String subject, Map<String, Object> details) {
    }

    private final DeliveryStore store;
    private final TransactionTemplate tx;
    private final IntegrationDirectory directory;
    private final IntegrationSignals signals;
    private final InboundItems inbound;
    private final TemplateUpdates templates;
    private final AuditSink audit;
    private final WebhookSettings settings;
    private final WebhookParser parser = new WebhookParser();

    DeliveryProcessor(DeliveryStore store, TransactionTemplate tx, IntegrationDirectory directory,
                      IntegrationSignals signals, InboundItems inbound, TemplateUpdates templates, AuditSink audit,
                      WebhookSettings settings) {
        this.store = store;
        this.tx = tx;
        this.directory = directory;
        this.signals = signals;
        this.inbound = inbound;
        this.templates = templates;
        this.audit = audit;
        this.settings = settings;
    }

    /** Most bytes of bodies processed in one transaction (one larger body still goes alone). */
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

    /**
     * Claims one batch of due deliveries and processes them, as few transactions as their bodies' sizes allow, each
     * storing the items of all its deliveries with a few batched statements ({@link InboundItems#applyAll}). If such a
     * transaction fails, its deliveries are processed again one at a time, so that one bad delivery fails (and is
     * retried) alone. Answers how many were claimed.
     */
    int runOnce() {
        List<StoredDelivery> batch = store.claim(settings.processorBatch(), settings.lease());
        List<StoredDelivery> chunk = new ArrayList<>();
        long bytes = 0;
        for (StoredDelivery d : batch) {
            if (!chunk.isEmpty() && bytes + d.bodySize() > MAX_BATCH_BYTES) {
                processChunk(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(d);
            bytes += d.bodySize();
        }
        if (!chunk.isEmpty()) {
            processChunk(chunk);
        }
        processed += batch.size();
        return batch.size();
    }

    private volatile long processed;

    /** Deliveries processed (or given up) since start: a counter for the metrics. */
    long processedCount() {
        return processed;
    }

    private void processChunk(List<StoredDelivery> chunk) {
        if (chunk.size() == 1) {
            processOne(store.withBody(chunk.get(0)));
            return;
        }
        List<StoredDelivery> loaded = store.withBodies(chunk);
        if (processTogether(loaded)) {
            return;
        }
        for (StoredDelivery d : loaded) {
            processOne(d);
        }
    }

    /** All the deliveries in one transaction; false (nothing kept) if it failed. */
    private boolean processTogether(List<StoredDelivery> ds) {
        try {
            tx.executeWithoutResult(status -> {
                List<Work> works = new ArrayList<>(ds.size());
                List<InboundGroup> all = new ArrayList<>();
                for (StoredDelivery d : ds) {
                    Work w = route(d);
                    w.firstGroup = all.size();
                    all.addAll(w.inboundGroups(d));
                    works.add(w);
                }
                List<InboundResult> results = all.isEmpty() ? List.of() : inbound.applyAll(all);
                if (results.size() != all.size()) {
                    throw new IllegalStateException("applyAll answered " + results.size() + " results for "
                            + all.size() + " groups");
                }
                List<DeliveryStore.Finished> finished = new ArrayList<>(ds.size());
                List<Received> received = new ArrayList<>();
                for (int i = 0; i < ds.size(); i++) {
                    StoredDelivery d = ds.get(i);
                    Work w = works.get(i);
                    complete(w, d, results.subList(w.firstGroup, w.firstGroup + w.groupCount));
                    finished.add(new DeliveryStore.Finished(d.id(), w.state, w.outcome, w.detail(), w.orgId,
                            w.integrationId, w.signatureValid, w.unroutedKeys));
                    for (Map.Entry<UUID, Map<String, Object>> e : w.auditByOrg.entrySet()) {
                        received.add(new Received(e.getKey(), "webhook-event:" + d.id(), e.getValue()));
                    }
                }
                store.finishAll(finished);
                if (!received.isEmpty()) {
                    audit.receivedAll(received);
                }
            });
            return true;
        } catch (RuntimeException e) {
            log.info("processing {} webhook deliveries together failed, now one at a time: {}", ds.size(),
                    e.toString());
            return false;
        }
    }

    /** Processes until nothing is due (tests and the startup resume). */
    int drain() {
        int total = 0;
        int n;
        while ((n = runOnce()) > 0) {
            total += n;
        }
        return total;
    }

    private void processOne(StoredDelivery d) {
        try {
            tx.executeWithoutResult(status -> {
                Work w = process(d);
                store.finish(d.id(), w.state, w.outcome, w.detail(), w.orgId, w.integrationId, w.signatureValid,
                        w.unroutedKeys);
                for (Map.Entry<UUID, Map<String, Object>> e : w.auditByOrg.entrySet()) {
                    audit.received(e.getKey(), "webhook-event:" + d.id(), e.getValue());
                }
            });
        } catch (RuntimeException e) {
            log.warn("processing webhook delivery {} failed (attempt {}): {}", d.id(), d.attempts(), e.toString());
            try {
                store.failed(d.id(), d.attempts(), settings.maxAttempts(), e.toString());
            } catch (RuntimeException again) {
                log.warn("could not record the failure of delivery {} (its lease will expire): {}", d.id(),
                        again.toString());
            }
        }
    }

    /** What processing one delivery did. */
    private static final class Work {
        String state = PROCESSED;
        String outcome = OUTCOME_PROCESSED;
        UUID orgId;
        UUID integrationId;
        Boolean signatureValid;
        final Set<String[]> unroutedKeys = new TreeSet<>((a, b) -> (a[0] + '\0' + a[1]).compareTo(b[0] + '\0' + b[1]));
        final Map<UUID, Map<String, Object>> auditByOrg = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        int messages;
        int statuses;
        int templateUpdates;
        int accountEvents;
        int unroutedItems;
        int foreignItems;
        int errors;
        final Set<String> ignoredFields = new LinkedHashSet<>();
        InboundResult result = InboundResult.empty();
        final Map<UUID, Group> groups = new LinkedHashMap<>();
        final Map<UUID, IntegrationRoute> routed = new LinkedHashMap<>();
        boolean parsed;
        int firstGroup;
        int groupCount;

        /** The groups with items, for {@link InboundItems}; {@link #complete} takes their results in this order. */
        List<InboundGroup> inboundGroups(StoredDelivery d) {
            List<InboundGroup> out = new ArrayList<>();
            for (Group g : groups.values()) {
                if (g.messages.isEmpty() && g.statuses.isEmpty()) {
                    continue;
                }
                out.add(new InboundGroup(new InboundContext(g.route.orgId(), g.route.integrationId(), d.id(),
                        d.receivedAt().toInstant()), List.copyOf(g.messages), List.copyOf(g.statuses)));
            }
            groupCount = out.size();
            return out;
        }

        String detail() {
            StringBuilder sb = new StringBuilder();
            sb.append("messages ").append(messages).append(" (").append(result.messagesStored()).append(" new, ")
                    .append(result.messagesDuplicate()).append(" duplicate), statuses ").append(statuses).append(" (")
                    .append(result.statusesApplied()).append(" applied, ").append(result.statusesDuplicate())
                    .append(" duplicate), template updates ").append(templateUpdates).append(", account events ")
                    .append(accountEvents);
            if (errors > 0) {
                sb.append(", errors reported by Meta ").append(errors);
            }
            if (!ignoredFields.isEmpty()) {
                sb.append(", fields kept but not acted on: ").append(String.join(", ", ignoredFields));
            }
            for (String note : notes) {
                sb.append("; ").append(note);
            }
            return sb.toString();
        }
    }

    /** Messages and statuses for one integration, handed to InboundItems together. */
    private record Group(IntegrationRoute route, List<MessageEvent> messages, List<StatusEvent> statuses) {
    }

    /** One delivery on its own (the per-delivery path): routes it, applies each group, completes. */
    private Work process(StoredDelivery d) {
        Work w = route(d);
        List<InboundResult> results = new ArrayList<>();
        for (InboundGroup g : w.inboundGroups(d)) {
            results.add(inbound.apply(g.context(), g.messages(), g.statuses()));
        }
        complete(w, d, results);
        return w;
    }

    /**
     * Parses and routes a delivery: template updates and account events are handed over at once, messages and
     * statuses are grouped per integration in {@code w.groups} for {@link InboundItems}.
     */
    private Work route(StoredDelivery d) {
        Work w = new Work();
        if (d.body() == null) {
            w.notes.add("no body was kept");
            return w;
        }
        WebhookPayload payload;
        try {
            payload = parser.parse(d.body());
        } catch (WebhookParseException e) {
            w.outcome = OUTCOME_UNPARSEABLE;
            w.notes.add(e.getMessage());
            return w;
        }
        w.parsed = true;
        Map<String, Boolean> verifiedBySecret = new HashMap<>();
        Map<UUID, Group> groups = w.groups;
        Map<UUID, IntegrationRoute> routed = w.routed;
        for (WebhookEntry entry : payload.entries()) {
            for (WebhookChange change : entry.changes()) {
                ChangeValue value = change.value();
                String phone = value instanceof MessagesValue mv ? mv.phoneNumberId() : null;
                List<IntegrationRoute> targets = targets(d, entry.id(), phone);
                int items = items(value);
                if (targets.isEmpty()) {
                    w.unroutedItems += items;
                    if (phone != null) {
                        w.unroutedKeys.add(new String[] {"phone", phone});
                    } else if (entry.id() != null) {
                        w.unroutedKeys.add(new String[] {"waba", entry.id()});
                    } else {
                        w.notes.add("a change names neither a phone_number_id nor a WABA and cannot be routed");
                    }
                    continue;
                }
                boolean any = false;
                for (IntegrationRoute t : targets) {
                    if (!verified(d, t, verifiedBySecret)) {
                        continue;
                    }
                    any = true;
                    routed.putIfAbsent(t.integrationId(), t);
                    dispatch(w, groups, t, entry, value);
                }
                if (!any) {
                    w.foreignItems += items;
                    w.unroutedKeys.add(phone != null ? new String[] {"phone_mismatch", phone}
                            : new String[] {"waba_mismatch", String.valueOf(entry.id())});
                }
            }
        }
        return w;
    }

    /** Takes the results of the delivery's groups (in {@link Work#inboundGroups} order) and decides the outcome. */
    private void complete(Work w, StoredDelivery d, List<InboundResult> results) {
        if (!w.parsed) {
            return; // ended early (no body, unparseable): the outcome is already set
        }
        Map<UUID, IntegrationRoute> routed = w.routed;
        int next = 0;
        for (Group g : w.groups.values()) {
            if (g.messages.isEmpty() && g.statuses.isEmpty()) {
                continue;
            }
            InboundResult r = results.get(next++);
            if (r != null) {
                w.result = w.result.plus(r);
                auditFor(w, g.route).merge("messages_stored", r.messagesStored(), (a, b) -> (Integer) a + (Integer) b);
                auditFor(w, g.route).merge("messages_duplicate", r.messagesDuplicate(),
                        (a, b) -> (Integer) a + (Integer) b);
                auditFor(w, g.route).merge("statuses_applied", r.statusesApplied(), (a, b) -> (Integer) a + (Integer) b);
                auditFor(w, g.route).merge("statuses_duplicate", r.statusesDuplicate(),
                        (a, b) -> (Integer) a + (Integer) b);
                @SuppressWarnings("unchecked")
                List<String> ids = (List<String>) auditFor(w, g.route).computeIfAbsent("message_ids",
                        k -> new ArrayList<String>());
                for (UUID id : r.stored()) {
                    if (ids.size() < 50) {
                        ids.add(id.toString());
                    }
                }
            }
        }
        for (IntegrationRoute r : routed.values()) {
            auditFor(w, r);
            signals.webhookReceived(r.integrationId(), d.receivedAt().toInstant());
        }
        if (!routed.isEmpty()) {
            IntegrationRoute first = routed.values().iterator().next();
            w.orgId = first.orgId();
            w.integrationId = first.integrationId();
            w.signatureValid = Boolean.TRUE;
        } else if (w.foreignItems > 0) {
            w.signatureValid = Boolean.FALSE;
        }
        if (w.unroutedItems > 0 || w.foreignItems > 0) {
            w.notes.add(unroutedNote(w));
        }
        if (routed.isEmpty() && !w.unroutedKeys.isEmpty()) {
            w.state = UNROUTED;
            w.outcome = w.unroutedItems > 0 ? OUTCOME_UNROUTED : OUTCOME_SIGNATURE_MISMATCH;
        } else if (!w.unroutedKeys.isEmpty()) {
            w.outcome = OUTCOME_PARTIALLY_UNROUTED;
        }
    }

    private static String unroutedNote(Work w) {
        List<String> parts = new ArrayList<>();
        if (w.unroutedItems > 0 || w.unroutedKeys.stream().anyMatch(k -> !k[0].endsWith("_mismatch"))) {
            List<String> keys = new ArrayList<>();
            w.unroutedKeys.stream().filter(k -> !k[0].endsWith("_mismatch"))
                    .forEach(k -> keys.add((k[0].equals("phone") ? "phone_number_id " : "WABA ") + k[1]));
            parts.add(w.unroutedItems + " item(s) for " + String.join(", ", keys)
                    + " that no integration knows yet (kept; processed when such an integration is added)");
        }
        if (w.foreignItems > 0) {
            List<String> keys = new ArrayList<>();
            w.unroutedKeys.stream().filter(k -> k[0].endsWith("_mismatch"))
                    .forEach(k -> keys.add((k[0].startsWith("phone") ? "phone_number_id " : "WABA ") + k[1]));
            parts.add(w.foreignItems + " item(s) for " + String.join(", ", keys)
                    + " whose integration's app secret does not match the signature (not processed)");
        }
        return String.join("; ", parts);
    }

    private Map<String, Object> auditFor(Work w, IntegrationRoute r) {
        Map<String, Object> m = w.auditByOrg.computeIfAbsent(r.orgId(), k -> {
            Map<String, Object> fresh = new LinkedHashMap<>();
            fresh.put("integration_ids", new ArrayList<String>());
            return fresh;
        });
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) m.get("integration_ids");
        if (!ids.contains(r.integrationId().toString())) {
            ids.add(r.integrationId().toString());
        }
        return m;
    }

    private List<IntegrationRoute> targets(StoredDelivery d, String wabaId, String phone) {
        if (phone != null) {
            Optional<IntegrationRoute> r = directory.byPhoneNumberId(phone);
            return r.map(List::of).orElse(List.of());
        }
        List<IntegrationRoute> byWaba = wabaId == null ? List.of() : directory.byWabaId(wabaId);
        if (!byWaba.isEmpty()) {
            return byWaba;
        }
        if (d.integrationId() != null && DeliveryRow.VIA_INTEGRATION.equals(d.via())) {
            return directory.byId(d.integrationId())
                    .filter(r -> wabaId == null || r.wabaId() == null || r.wabaId().equals(wabaId))
                    .map(List::of).orElse(List.of());
        }
        return List.of();
    }

    private static boolean verified(StoredDelivery d, IntegrationRoute t, Map<String, Boolean> cache) {
        if (!t.hasAppSecret()) {
            return false;
        }
        if (Boolean.TRUE.equals(d.signatureValid()) && t.integrationId().equals(d.integrationId())) {
            return true; // checked on the ack path with this integration's secret
        }
        return cache.computeIfAbsent(t.appSecret(),
                secret -> WebhookSignature.verify(d.body(), d.signatureHeader(), secret));
    }

    private static int items(ChangeValue value) {
        if (value instanceof MessagesValue mv) {
            return Math.max(1, mv.messages().size() + mv.statuses().size());
        }
        return 1;
    }

    private void dispatch(Work w, Map<UUID, Group> groups, IntegrationRoute t, WebhookEntry entry, ChangeValue value) {
        if (value instanceof MessagesValue mv) {
            Group g = groups.computeIfAbsent(t.integrationId(), k -> new Group(t, new ArrayList<>(), new ArrayList<>()));
            for (InboundMessage m : mv.messages()) {
                g.messages.add(new MessageEvent(entry.id(), mv.phoneNumberId(), mv.displayPhoneNumber(),
                        mv.contactFor(m.from()), m));
                w.messages++;
            }
            for (MessageStatus s : mv.statuses()) {
                g.statuses.add(new StatusEvent(entry.id(), mv.phoneNumberId(), mv.displayPhoneNumber(), s));
                w.statuses++;
            }
            w.errors += mv.errors().size();
        } else if (value instanceof TemplateStatusUpdate u) {
            templates.statusUpdated(t.orgId(), t.integrationId(), u);
            w.templateUpdates++;
        } else if (value instanceof TemplateCategoryUpdate u) {
            templates.categoryUpdated(t.orgId(), t.integrationId(), u);
            w.templateUpdates++;
        } else if (value instanceof AccountUpdate u) {
            signals.accountEvent(t.integrationId(), u.field(), u.event(), u.raw().toString());
            w.accountEvents++;
        } else if (value instanceof PhoneNumberQualityUpdate u) {
            signals.accountEvent(t.integrationId(), u.field(), u.event(), u.raw().toString());
            w.accountEvents++;
        } else if (value instanceof UnknownChangeValue u && u.field() != null && ACCOUNT_FIELDS.contains(u.field())) {
            String event = u.raw() != null && u.raw().path("event").isString() ? u.raw().path("event").asString() : null;
            signals.accountEvent(t.integrationId(), u.field(), event, String.valueOf(u.raw()));
            w.accountEvents++;
        } else {
            w.ignoredFields.add(String.valueOf(value.field()));
        }
    }
}
