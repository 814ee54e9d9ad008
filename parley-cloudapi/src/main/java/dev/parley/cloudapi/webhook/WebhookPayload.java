package dev.parley.cloudapi.webhook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * A parsed webhook POST body: {@code {"object": ..., "entry": [...]}}. Meta batches up to 1000 updates per
 * POST, across several entries, changes, messages and statuses; the {@code *Events()} methods flatten them in
 * order so that a consumer cannot forget any.
 *
 * @param object  {@code object}, normally {@code "whatsapp_business_account"}; {@code null} if absent
 * @param entries {@code entry[]}, in order
 * @param raw     the whole body as parsed. Treat every {@code raw()} tree as read-only: it is shared with the
 *                nested model objects
 */
public record WebhookPayload(String object, List<WebhookEntry> entries, JsonNode raw) {

    /** The {@code object} value Meta sends for WhatsApp Business Account webhooks. */
    public static final String WHATSAPP_BUSINESS_ACCOUNT = "whatsapp_business_account";

    public WebhookPayload {
        entries = Json.copy(entries);
        raw = Json.raw(raw);
    }

    /** Whether {@code object} is {@code "whatsapp_business_account"}. */
    public boolean isWhatsAppBusinessAccount() {
        return WHATSAPP_BUSINESS_ACCOUNT.equals(object);
    }

    /** Every change of every entry, with the entry's WABA ID and time, in order. */
    public List<ChangeEvent> changeEvents() {
        List<ChangeEvent> out = new ArrayList<>();
        for (WebhookEntry entry : entries) {
            for (WebhookChange change : entry.changes()) {
                out.add(new ChangeEvent(entry.id(), entry.time(), change));
            }
        }
        return List.copyOf(out);
    }

    /** Every inbound message in the payload, in order, each with its WABA, phone number and sender's contact. */
    public List<MessageEvent> messageEvents() {
        List<MessageEvent> out = new ArrayList<>();
        for (WebhookEntry entry : entries) {
            for (WebhookChange change : entry.changes()) {
                if (change.value() instanceof MessagesValue) {
                    MessagesValue value = (MessagesValue) change.value();
                    for (InboundMessage message : value.messages()) {
                        out.add(new MessageEvent(entry.id(), value.phoneNumberId(), value.displayPhoneNumber(),
                                value.contactFor(message.from()), message));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** Every status update in the payload, in order, each with its WABA and phone number. */
    public List<StatusEvent> statusEvents() {
        List<StatusEvent> out = new ArrayList<>();
        for (WebhookEntry entry : entries) {
            for (WebhookChange change : entry.changes()) {
                if (change.value() instanceof MessagesValue) {
                    MessagesValue value = (MessagesValue) change.value();
                    for (MessageStatus status : value.statuses()) {
                        out.add(new StatusEvent(entry.id(), value.phoneNumberId(), value.displayPhoneNumber(),
                                status));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** Every value-level error ({@code value.errors[]} of {@code messages} changes), in order. */
    public List<ErrorEvent> errorEvents() {
        List<ErrorEvent> out = new ArrayList<>();
        for (WebhookEntry entry : entries) {
            for (WebhookChange change : entry.changes()) {
                if (change.value() instanceof MessagesValue) {
                    MessagesValue value = (MessagesValue) change.value();
                    for (WebhookError error : value.errors()) {
                        out.add(new ErrorEvent(entry.id(), value.phoneNumberId(), value.displayPhoneNumber(),
                                error));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** Distinct {@code metadata.phone_number_id} values of all {@code messages} changes, in first-seen order. */
    public List<String> phoneNumberIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (WebhookEntry entry : entries) {
            for (WebhookChange change : entry.changes()) {
                if (change.value() instanceof MessagesValue) {
                    String id = ((MessagesValue) change.value()).phoneNumberId();
                    if (id != null) {
                        ids.add(id);
                    }
                }
            }
        }
        return List.copyOf(ids);
    }

    /** Distinct WABA IDs ({@code entry[].id}), in first-seen order. */
    public List<String> wabaIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (WebhookEntry entry : entries) {
            if (entry.id() != null) {
                ids.add(entry.id());
            }
        }
        return List.copyOf(ids);
    }

    /** A summary without the raw JSON (which {@link #raw()} gives in full). */
    @Override
    public String toString() {
        return "WebhookPayload[object=" + object + ", entries=" + entries + "]";
    }
}
