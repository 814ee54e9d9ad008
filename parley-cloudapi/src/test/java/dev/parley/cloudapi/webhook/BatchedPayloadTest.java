package dev.parley.cloudapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Meta batches updates: every entry, change, message and status must come out, in order, correctly routed. */
class BatchedPayloadTest {

    /** 2 entries (two WABAs) x 2 changes, three phone numbers, several messages and statuses per change. */
    static final String BATCH = """
            {
              "object": "whatsapp_business_account",
              "entry": [
                {
                  "id": "WABA-1",
                  "changes": [
                    {
                      "field": "messages",
                      "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {"display_phone_number": "15550001111", "phone_number_id": "PN-A"},
                        "contacts": [
                          {"profile": {"name": "Alice"}, "wa_id": "491111"},
                          {"profile": {"name": "Bob"}, "wa_id": "492222"}
                        ],
                        "messages": [
                          {"from": "491111", "id": "wamid.m1", "timestamp": "1700000001", "type": "text",
                           "text": {"body": "one"}},
                          {"from": "492222", "id": "wamid.m2", "timestamp": "1700000002", "type": "text",
                           "text": {"body": "two"}},
                          {"from": "491111", "id": "wamid.m3", "timestamp": "1700000003", "type": "reaction",
                           "reaction": {"message_id": "wamid.m0", "emoji": "\\u2764\\ufe0f"}}
                        ],
                        "statuses": [
                          {"id": "wamid.s1", "status": "sent", "timestamp": "1700000004", "recipient_id": "491111"},
                          {"id": "wamid.s1", "status": "delivered", "timestamp": "1700000005", "recipient_id": "491111"}
                        ]
                      }
                    },
                    {
                      "field": "messages",
                      "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {"display_phone_number": "15550002222", "phone_number_id": "PN-B"},
                        "contacts": [{"profile": {"name": "Carol"}, "wa_id": "493333"}],
                        "messages": [
                          {"from": "493333", "id": "wamid.m4", "timestamp": "1700000006", "type": "text",
                           "text": {"body": "four"}},
                          {"from": "499999", "id": "wamid.m5", "timestamp": "1700000007", "type": "text",
                           "text": {"body": "no contact for me"}}
                        ],
                        "statuses": [
                          {"id": "wamid.s2", "status": "read", "timestamp": "1700000008", "recipient_id": "493333"}
                        ]
                      }
                    }
                  ]
                },
                {
                  "id": "WABA-2",
                  "time": 1700000100,
                  "changes": [
                    {
                      "field": "message_template_status_update",
                      "value": {"event": "APPROVED", "message_template_id": 42, "message_template_name": "t",
                                "message_template_language": "en", "reason": null}
                    },
                    {
                      "field": "messages",
                      "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {"display_phone_number": "15550003333", "phone_number_id": "PN-C"},
                        "statuses": [
                          {"id": "wamid.s3", "status": "failed", "timestamp": "1700000009", "recipient_id": "494444",
                           "errors": [{"code": 131026, "title": "Message undeliverable"}]},
                          {"id": "wamid.s4", "status": "sent", "timestamp": "1700000010", "recipient_id": "495555"}
                        ],
                        "messages": [
                          {"from": "496666", "id": "wamid.m6", "timestamp": "1700000011", "type": "image",
                           "image": {"id": "media-6", "mime_type": "image/png", "sha256": "x"}}
                        ],
                        "contacts": [{"profile": {"name": "Dave"}, "wa_id": "496666"}]
                      }
                    }
                  ]
                }
              ]
            }
            """;

    private final WebhookPayload payload = new WebhookParser().parse(BATCH);

    @Test
    void yieldsEveryMessageInOrderWithItsRouting() {
        List<MessageEvent> events = payload.messageEvents();
        assertThat(events).extracting(e -> e.message().id())
                .containsExactly("wamid.m1", "wamid.m2", "wamid.m3", "wamid.m4", "wamid.m5", "wamid.m6");
        assertThat(events).extracting(MessageEvent::phoneNumberId)
                .containsExactly("PN-A", "PN-A", "PN-A", "PN-B", "PN-B", "PN-C");
        assertThat(events).extracting(MessageEvent::displayPhoneNumber)
                .containsExactly("15550001111", "15550001111", "15550001111", "15550002222", "15550002222",
                        "15550003333");
        assertThat(events).extracting(MessageEvent::wabaId)
                .containsExactly("WABA-1", "WABA-1", "WABA-1", "WABA-1", "WABA-1", "WABA-2");
        // Contact matched by wa_id == from, not by position; no contact means null, not someone else's.
        assertThat(events).extracting(MessageEvent::profileName)
                .containsExactly("Alice", "Bob", "Alice", "Carol", null, "Dave");
        assertThat(((MessageContent.Reaction) events.get(2).message().content()).emoji()).isEqualTo("\u2764\ufe0f");
        assertThat(((MessageContent.Image) events.get(5).message().content()).id()).isEqualTo("media-6");
    }

    @Test
    void yieldsEveryStatusInOrderWithItsRouting() {
        List<StatusEvent> events = payload.statusEvents();
        assertThat(events).extracting(e -> e.status().id() + ":" + e.status().rawStatus() + "@" + e.phoneNumberId())
                .containsExactly("wamid.s1:sent@PN-A", "wamid.s1:delivered@PN-A", "wamid.s2:read@PN-B",
                        "wamid.s3:failed@PN-C", "wamid.s4:sent@PN-C");
        assertThat(events.get(3).wabaId()).isEqualTo("WABA-2");
        assertThat(events.get(3).status().errors()).extracting(WebhookError::code).containsExactly(131026);
    }

    @Test
    void listsEveryPhoneNumberAndChange() {
        assertThat(payload.phoneNumberIds()).containsExactly("PN-A", "PN-B", "PN-C");
        assertThat(payload.wabaIds()).containsExactly("WABA-1", "WABA-2");
        assertThat(payload.changeEvents()).extracting(ChangeEvent::field)
                .containsExactly("messages", "messages", "message_template_status_update", "messages");
        ChangeEvent template = payload.changeEvents().get(2);
        assertThat(template.wabaId()).isEqualTo("WABA-2");
        assertThat(template.time()).hasToString("2023-11-14T22:15:00Z");
        TemplateStatusUpdate update = (TemplateStatusUpdate) template.value();
        assertThat(update.templateId()).isEqualTo("42");
        assertThat(update.reason()).isNull();
    }

    @Test
    void parsesTheSameFromBytesAndFromString() {
        WebhookPayload fromBytes = new WebhookParser().parse(BATCH.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(fromBytes).isEqualTo(payload);
    }

    @Test
    void oneParserCanBeSharedAcrossThreads() {
        WebhookParser shared = new WebhookParser();
        List<List<String>> ids = java.util.stream.IntStream.range(0, 64).parallel()
                .mapToObj(i -> shared.parse(BATCH).messageEvents().stream().map(e -> e.message().id())
                        .collect(Collectors.toList()))
                .collect(Collectors.toList());
        assertThat(ids).allSatisfy(list -> assertThat(list).containsExactly("wamid.m1", "wamid.m2", "wamid.m3",
                "wamid.m4", "wamid.m5", "wamid.m6"));
    }
}
