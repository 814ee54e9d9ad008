package dev.parley.cloudapi.webhook;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses WhatsApp Cloud API webhook bodies into the typed {@link WebhookPayload} model.
 *
 * <p>Only three things are rejected, with a {@link WebhookParseException}: bytes that are not one JSON value,
 * a top level that is not an object, and a missing or non-array {@code entry}. Everything else parses:
 * unknown fields, message types, interactive types, status values and change fields are kept (typed as
 * {@code Unknown...} where needed) and every model object exposes its raw JSON. Fields of an unexpected JSON
 * type become {@code null} or empty lists rather than errors.
 *
 * <p>Thread-safe and reusable; each instance owns its own {@link JsonMapper}.
 */
public final class WebhookParser {

    /** Real webhooks nest about ten levels deep; anything much deeper is hostile. */
    static final int MAX_NESTING_DEPTH = 200;

    private final JsonMapper mapper;

    public WebhookParser() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * Parses a webhook body. Pass the raw request bytes (the same bytes the signature was checked on).
     *
     * @throws WebhookParseException if the body is not JSON, not an object, or has no {@code entry} array
     */
    public WebhookPayload parse(byte[] body) {
        if (body == null) {
            throw new WebhookParseException("webhook body is null");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new WebhookParseException("webhook body exceeds a parser safety limit: " + describe(e), e);
        } catch (JacksonException e) {
            throw new WebhookParseException("webhook body is not valid JSON: " + describe(e), e);
        } catch (RuntimeException e) {
            throw new WebhookParseException("webhook body is not valid JSON: " + e, e);
        }
        return map(root);
    }

    /** Parses a webhook body given as text; see {@link #parse(byte[])}. */
    public WebhookPayload parse(String body) {
        if (body == null) {
            throw new WebhookParseException("webhook body is null");
        }
        return parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private WebhookPayload map(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            throw new WebhookParseException("webhook body is empty; expected a JSON object with an 'entry' array");
        }
        if (!root.isObject()) {
            throw new WebhookParseException("webhook body must be a JSON object with an 'entry' array, but the top"
                    + " level is " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        JsonNode entry = root.get("entry");
        if (entry == null || entry.isNull() || entry.isMissingNode()) {
            throw new WebhookParseException("webhook body has no 'entry' array; it is not a WhatsApp webhook");
        }
        if (!entry.isArray()) {
            throw new WebhookParseException("webhook field 'entry' must be an array, but is "
                    + entry.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        try {
            return new WebhookPayload(Json.text(root, "object"), Json.list(root, "entry", this::entry), root);
        } catch (RuntimeException e) {
            // Not expected: every mapper below is lenient. Kept so that callers only ever see one exception type.
            throw new WebhookParseException("could not map webhook body: " + e, e);
        }
    }

    private WebhookEntry entry(JsonNode node) {
        return new WebhookEntry(Json.text(node, "id"), Json.epochSeconds(node, "time"),
                Json.list(node, "changes", this::change), node);
    }

    private WebhookChange change(JsonNode node) {
        String field = Json.text(node, "field");
        JsonNode value = Json.child(node, "value");
        return new WebhookChange(field, changeValue(field, value), node);
    }

    private ChangeValue changeValue(String field, JsonNode value) {
        if (value == null || !value.isObject() || field == null) {
            return new UnknownChangeValue(field, value);
        }
        switch (field) {
            case "messages":
                return messagesValue(value);
            case "message_template_status_update":
                return TemplateStatusUpdate.from(value);
            case "template_category_update":
                return TemplateCategoryUpdate.from(value);
            case "account_update":
                return AccountUpdate.from(value);
            case "phone_number_quality_update":
                return PhoneNumberQualityUpdate.from(value);
            default:
                return new UnknownChangeValue(field, value);
        }
    }

    private MessagesValue messagesValue(JsonNode value) {
        JsonNode metadata = Json.object(value, "metadata");
        return new MessagesValue(Json.text(value, "messaging_product"),
                metadata == null ? null : Metadata.from(metadata),
                Json.list(value, "contacts", Contact::from),
                Json.list(value, "messages", this::message),
                Json.list(value, "statuses", MessageStatus::from),
                Json.list(value, "errors", WebhookError::from),
                value);
    }

    private InboundMessage message(JsonNode node) {
        String type = Json.text(node, "type");
        JsonNode context = Json.object(node, "context");
        JsonNode referral = Json.object(node, "referral");
        JsonNode identity = Json.object(node, "identity");
        return new InboundMessage(Json.text(node, "from"), Json.text(node, "id"),
                Json.epochSeconds(node, "timestamp"), Json.text(node, "timestamp"), type,
                context == null ? null : Context.from(context),
                referral == null ? null : Referral.from(referral),
                identity == null ? null : Identity.from(identity),
                Json.list(node, "errors", WebhookError::from),
                content(type, node), node);
    }

    private MessageContent content(String type, JsonNode message) {
        MessageType kind = MessageType.fromWire(type);
        if (kind == MessageType.UNKNOWN) {
            return new MessageContent.Unknown(type, type == null ? null : Json.rawChild(message, type));
        }
        JsonNode raw = Json.rawChild(message, type);
        JsonNode c = raw.isObject() ? raw : null;
        switch (kind) {
            case TEXT:
                return new MessageContent.Text(Json.text(c, "body"), raw);
            case IMAGE:
                return new MessageContent.Image(Json.text(c, "id"), Json.text(c, "mime_type"), Json.text(c, "sha256"),
                        Json.text(c, "caption"), Json.text(c, "url"), raw);
            case VIDEO:
                return new MessageContent.Video(Json.text(c, "id"), Json.text(c, "mime_type"), Json.text(c, "sha256"),
                        Json.text(c, "caption"), Json.text(c, "url"), raw);
            case AUDIO:
                return new MessageContent.Audio(Json.text(c, "id"), Json.text(c, "mime_type"), Json.text(c, "sha256"),
                        Json.bool(c, "voice"), Json.text(c, "url"), raw);
            case DOCUMENT:
                return new MessageContent.Document(Json.text(c, "id"), Json.text(c, "mime_type"),
                        Json.text(c, "sha256"), Json.text(c, "filename"), Json.text(c, "caption"),
                        Json.text(c, "url"), raw);
            case STICKER:
                return new MessageContent.Sticker(Json.text(c, "id"), Json.text(c, "mime_type"),
                        Json.text(c, "sha256"), Json.bool(c, "animated"), Json.text(c, "url"), raw);
            case LOCATION:
                return new MessageContent.Location(Json.doubleValue(c, "latitude"), Json.doubleValue(c, "longitude"),
                        Json.text(c, "name"), Json.text(c, "address"), Json.text(c, "url"), raw);
            case CONTACTS:
                return new MessageContent.Contacts(Json.list(message, "contacts", ContactCard::from), raw);
            case INTERACTIVE:
                return new MessageContent.Interactive(interactiveReply(c, raw), raw);
            case BUTTON:
                return new MessageContent.Button(Json.text(c, "payload"), Json.text(c, "text"), raw);
            case REACTION:
                return new MessageContent.Reaction(Json.text(c, "message_id"), Json.text(c, "emoji"), raw);
            case ORDER:
                return new MessageContent.Order(Json.text(c, "catalog_id"), Json.text(c, "text"),
                        Json.list(c, "product_items", p -> new MessageContent.ProductItem(
                                Json.text(p, "product_retailer_id"), Json.longValue(p, "quantity"),
                                Json.decimal(p, "item_price"), Json.text(p, "currency"), p)),
                        raw);
            case SYSTEM:
                return new MessageContent.SystemNotice(Json.text(c, "type"), Json.text(c, "body"),
                        Json.text(c, "wa_id"), Json.text(c, "new_wa_id"), Json.text(c, "user_id"),
                        Json.text(c, "previous_user_id"), Json.text(c, "customer"), Json.text(c, "identity"), raw);
            case UNSUPPORTED: {
                JsonNode unsupported = Json.object(message, "unsupported");
                return new MessageContent.Unsupported(Json.text(unsupported, "type"),
                        unsupported == null ? raw : unsupported);
            }
            default:
                return new MessageContent.Unknown(type, raw);
        }
    }

    private InteractiveReply interactiveReply(JsonNode interactive, JsonNode raw) {
        String type = Json.text(interactive, "type");
        if (type == null) {
            return new InteractiveReply.Unknown(null, raw);
        }
        JsonNode reply = Json.object(interactive, type);
        switch (type) {
            case "button_reply":
                return new InteractiveReply.ButtonReply(Json.text(reply, "id"), Json.text(reply, "title"),
                        Json.rawChild(interactive, type));
            case "list_reply":
                return new InteractiveReply.ListReply(Json.text(reply, "id"), Json.text(reply, "title"),
                        Json.text(reply, "description"), Json.rawChild(interactive, type));
            case "nfm_reply": {
                String responseJson = Json.text(reply, "response_json");
                return new InteractiveReply.NfmReply(responseJson, parseEmbedded(responseJson),
                        Json.text(reply, "body"), Json.text(reply, "name"), Json.rawChild(interactive, type));
            }
            default:
                return new InteractiveReply.Unknown(type, raw);
        }
    }

    /** Parses a JSON document embedded in a string field; {@code null} if it is absent or not valid JSON. */
    private JsonNode parseEmbedded(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(json);
            return node == null || node.isMissingNode() ? null : node;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        TokenStreamLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return message;
    }
}
