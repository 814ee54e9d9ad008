package dev.parley.cloudapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** What Meta adds tomorrow must parse today, with the new data reachable through raw(). */
class UnknownDataTest {

    private final WebhookParser parser = new WebhookParser();

    private static String messagesPayload(String messagesAndStatuses) {
        return """
                {"object": "whatsapp_business_account", "new_top_level": {"k": [1, 2]},
                 "entry": [{"id": "W", "new_entry_field": true, "changes": [{"field": "messages", "new_change_field": 1,
                   "value": {"messaging_product": "whatsapp", "new_value_field": "v",
                     "metadata": {"display_phone_number": "1", "phone_number_id": "P", "new_meta": "m"},
                     "contacts": [{"profile": {"name": "N", "new_profile": "p"}, "wa_id": "u", "new_contact": 2}],
                     %s}}]}]}
                """.formatted(messagesAndStatuses);
    }

    @Test
    void newFieldsAtEveryLevelAreKept() {
        WebhookPayload payload = parser.parse(messagesPayload("""
                "messages": [{"from": "u", "id": "wamid.1", "timestamp": "1700000000", "type": "text",
                  "text": {"body": "hi", "new_text_field": {"lang": "de"}}, "new_message_field": [true]}]"""));
        assertThat(payload.raw().get("new_top_level").get("k").get(1).asInt()).isEqualTo(2);
        assertThat(payload.entries().get(0).raw().get("new_entry_field").asBoolean()).isTrue();
        WebhookChange change = payload.entries().get(0).changes().get(0);
        assertThat(change.raw().get("new_change_field").asInt()).isEqualTo(1);
        MessagesValue value = (MessagesValue) change.value();
        assertThat(value.raw().get("new_value_field").asString()).isEqualTo("v");
        assertThat(value.metadata().raw().get("new_meta").asString()).isEqualTo("m");
        assertThat(value.contacts().get(0).raw().get("new_contact").asInt()).isEqualTo(2);
        assertThat(value.contacts().get(0).profile().raw().get("new_profile").asString()).isEqualTo("p");
        InboundMessage m = value.messages().get(0);
        MessageContent.Text text = (MessageContent.Text) m.content();
        assertThat(text.body()).isEqualTo("hi");
        assertThat(text.raw().get("new_text_field").get("lang").asString()).isEqualTo("de");
        assertThat(m.raw().get("new_message_field").get(0).asBoolean()).isTrue();
    }

    @Test
    void newMessageTypeIsKeptAsUnknown() {
        WebhookPayload payload = parser.parse(messagesPayload("""
                "messages": [{"from": "u", "id": "wamid.h", "timestamp": "1700000000", "type": "hologram",
                  "hologram": {"id": "holo-1", "depth_mm": 42}}]"""));
        MessageEvent event = payload.messageEvents().get(0);
        InboundMessage m = event.message();
        assertThat(m.kind()).isEqualTo(MessageType.UNKNOWN);
        assertThat(m.type()).isEqualTo("hologram");
        assertThat(m.id()).isEqualTo("wamid.h");
        assertThat(m.timestamp()).isEqualTo(Instant.ofEpochSecond(1700000000L));
        assertThat(event.profileName()).isEqualTo("N");
        MessageContent.Unknown unknown = (MessageContent.Unknown) m.content();
        assertThat(unknown.type()).isEqualTo("hologram");
        assertThat(unknown.raw().get("depth_mm").asInt()).isEqualTo(42);
        assertThat(m.raw().get("hologram").get("id").asString()).isEqualTo("holo-1");
    }

    @Test
    void newInteractiveTypeIsKept() {
        WebhookPayload payload = parser.parse(messagesPayload("""
                "messages": [{"from": "u", "id": "wamid.i", "timestamp": "1", "type": "interactive",
                  "interactive": {"type": "call_permission_reply", "call_permission_reply": {"response": "accept"}}}]"""));
        MessageContent.Interactive interactive =
                (MessageContent.Interactive) payload.messageEvents().get(0).message().content();
        assertThat(interactive.type()).isEqualTo("call_permission_reply");
        InteractiveReply.Unknown reply = (InteractiveReply.Unknown) interactive.reply();
        assertThat(reply.raw().get("call_permission_reply").get("response").asString()).isEqualTo("accept");
    }

    @Test
    void newStatusValueIsKept() {
        WebhookPayload payload = parser.parse(messagesPayload("""
                "statuses": [{"id": "wamid.s", "status": "teleported", "timestamp": "1700000000",
                  "recipient_id": "u", "recipient_type": "individual", "biz_opaque_callback_data": "ref-7",
                  "pricing": {"billable": false, "pricing_model": "PMP", "type": "free_customer_service",
                              "category": "service", "new_pricing_field": 1}}]"""));
        MessageStatus s = payload.statusEvents().get(0).status();
        assertThat(s.status()).isEqualTo(StatusType.UNKNOWN);
        assertThat(s.rawStatus()).isEqualTo("teleported");
        assertThat(s.recipientType()).isEqualTo("individual");
        assertThat(s.bizOpaqueCallbackData()).isEqualTo("ref-7");
        assertThat(s.pricing().pricingModel()).isEqualTo("PMP");
        assertThat(s.pricing().type()).isEqualTo("free_customer_service");
        assertThat(s.pricing().billable()).isFalse();
        assertThat(s.pricing().raw().get("new_pricing_field").asInt()).isEqualTo(1);
    }

    @Test
    void newChangeFieldIsKeptWithItsName() {
        WebhookPayload payload = parser.parse("""
                {"object": "whatsapp_business_account", "entry": [{"id": "W", "time": 1700000000, "changes": [
                  {"field": "quantum_entanglement_update", "value": {"qubits": 7}},
                  {"field": "security", "value": {"display_phone_number": "1", "event": "PIN_CHANGED"}}]}]}
                """);
        assertThat(payload.changeEvents()).extracting(ChangeEvent::field)
                .containsExactly("quantum_entanglement_update", "security");
        UnknownChangeValue value = (UnknownChangeValue) payload.changeEvents().get(0).value();
        assertThat(value.field()).isEqualTo("quantum_entanglement_update");
        assertThat(value.raw().get("qubits").asInt()).isEqualTo(7);
        UnknownChangeValue security = (UnknownChangeValue) payload.changeEvents().get(1).value();
        assertThat(security.raw().get("event").asString()).isEqualTo("PIN_CHANGED");
        assertThat(payload.messageEvents()).isEmpty();
    }

    @Test
    void newEnumValuesAreKeptRaw() {
        WebhookPayload payload = parser.parse("""
                {"entry": [{"id": "W", "changes": [{"field": "message_template_status_update",
                  "value": {"event": "SUPER_APPROVED", "message_template_id": "77", "reason": "NEW_REASON",
                            "other_info": {"title": "T", "description": "D"},
                            "rejection_info": {"reason": "R", "recommendation": "fix it"},
                            "disable_info": {"disable_date": 1700000000}}}]}]}
                """);
        TemplateStatusUpdate update = (TemplateStatusUpdate) payload.changeEvents().get(0).value();
        assertThat(update.eventType()).isEqualTo(TemplateStatusEvent.UNKNOWN);
        assertThat(update.event()).isEqualTo("SUPER_APPROVED");
        assertThat(update.reason()).isEqualTo("NEW_REASON");
        assertThat(update.templateId()).isEqualTo("77");
        assertThat(update.otherInfo().description()).isEqualTo("D");
        assertThat(update.rejectionInfo().recommendation()).isEqualTo("fix it");
        assertThat(update.disableInfo().disableDate()).isEqualTo(Instant.ofEpochSecond(1700000000L));
        // "object" missing: still parsed, just not flagged as a WABA webhook.
        assertThat(payload.object()).isNull();
        assertThat(payload.isWhatsAppBusinessAccount()).isFalse();
    }

    @Test
    void systemIdentityChangeAndUserIdChange() {
        WebhookPayload payload = parser.parse(messagesPayload("""
                "messages": [
                  {"from": "u", "id": "wamid.a", "timestamp": "1697044706", "type": "system",
                   "identity": {"acknowledged": true, "created_timestamp": "1697044706", "hash": "xyzxyz"},
                   "system": {"body": "User identity changed", "type": "customer_identity_changed"}},
                  {"id": "wamid.b", "timestamp": "1753851315", "type": "system",
                   "system": {"body": "User changed from CO.1 to MX.2", "user_id": "MX.2",
                              "previous_user_id": "CO.1", "type": "user_changed_user_id"}}]"""));
        InboundMessage identity = payload.messageEvents().get(0).message();
        assertThat(((MessageContent.SystemNotice) identity.content()).type()).isEqualTo("customer_identity_changed");
        assertThat(identity.identity().acknowledged()).isTrue();
        assertThat(identity.identity().hash()).isEqualTo("xyzxyz");
        assertThat(identity.identity().createdTimestamp()).isEqualTo(Instant.ofEpochSecond(1697044706L));

        MessageEvent userIdChange = payload.messageEvents().get(1);
        assertThat(userIdChange.message().from()).isNull();
        assertThat(userIdChange.contact()).isNull();
        MessageContent.SystemNotice notice = (MessageContent.SystemNotice) userIdChange.message().content();
        assertThat(notice.userId()).isEqualTo("MX.2");
        assertThat(notice.previousUserId()).isEqualTo("CO.1");
    }

    @Test
    void fullContactCardAndReferredProductAndMediaUrl() {
        WebhookPayload payload = parser.parse(messagesPayload("""
                "messages": [
                  {"from": "u", "id": "wamid.c", "timestamp": "1", "type": "contacts",
                   "context": {"frequently_forwarded": true,
                               "referred_product": {"catalog_id": "cat", "product_retailer_id": "sku"}},
                   "contacts": [{"name": {"formatted_name": "Dr. A B Jr.", "first_name": "A", "last_name": "B",
                                          "middle_name": "M", "suffix": "Jr.", "prefix": "Dr."},
                                 "birthday": "1990-01-31",
                                 "org": {"company": "Acme", "department": "R&D", "title": "Boss"},
                                 "emails": [{"email": "a@b.c", "type": "WORK"}],
                                 "urls": [{"url": "https://a.b", "type": "HOME"}],
                                 "addresses": [{"street": "S 1", "city": "C", "state": "ST", "zip": "12345",
                                                "country": "Germany", "country_code": "DE", "type": "HOME"}],
                                 "phones": [{"phone": "+49 1", "type": "WORK"}]}]},
                  {"from": "u", "id": "wamid.d", "timestamp": "1", "type": "document",
                   "document": {"id": "d1", "mime_type": "application/pdf", "sha256": "h", "caption": "cap",
                                "filename": "f.pdf", "url": "https://lookaside.example/d1"}}]"""));
        InboundMessage contactsMessage = payload.messageEvents().get(0).message();
        assertThat(contactsMessage.context().frequentlyForwarded()).isTrue();
        assertThat(contactsMessage.context().isForwarded()).isTrue();
        assertThat(contactsMessage.context().referredProduct().productRetailerId()).isEqualTo("sku");
        ContactCard card = ((MessageContent.Contacts) contactsMessage.content()).cards().get(0);
        assertThat(card.name().prefix()).isEqualTo("Dr.");
        assertThat(card.name().middleName()).isEqualTo("M");
        assertThat(card.birthday()).isEqualTo("1990-01-31");
        assertThat(card.org().department()).isEqualTo("R&D");
        assertThat(card.emails().get(0).email()).isEqualTo("a@b.c");
        assertThat(card.urls().get(0).url()).isEqualTo("https://a.b");
        assertThat(card.addresses().get(0).countryCode()).isEqualTo("DE");
        assertThat(card.phones().get(0).waId()).isNull();
        MessageContent.Document doc = (MessageContent.Document) payload.messageEvents().get(1).message().content();
        assertThat(doc.url()).isEqualTo("https://lookaside.example/d1");
        assertThat(doc.caption()).isEqualTo("cap");
    }
}
