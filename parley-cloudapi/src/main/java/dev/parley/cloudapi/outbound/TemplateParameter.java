package dev.parley.cloudapi.outbound;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A parameter of a template component, in Meta's JSON shape. Create with the static factories. */
public final class TemplateParameter {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final ObjectNode json;

    private TemplateParameter(ObjectNode json) {
        this.json = json;
    }

    ObjectNode json() {
        return json.deepCopy();
    }

    /** {@code {"type":"text","text":...}}. */
    public static TemplateParameter text(String text) {
        ObjectNode o = F.objectNode().put("type", "text");
        o.put("text", text);
        return new TemplateParameter(o);
    }

    /** A named parameter ({@code parameter_format: NAMED} templates): {@code {"type":"text","parameter_name","text"}}. */
    public static TemplateParameter namedText(String parameterName, String text) {
        ObjectNode o = F.objectNode().put("type", "text");
        o.put("parameter_name", parameterName);
        o.put("text", text);
        return new TemplateParameter(o);
    }

    /** {@code {"type":"currency","currency":{"fallback_value","code","amount_1000"}}}. */
    public static TemplateParameter currency(String fallbackValue, String isoCode, long amountTimes1000) {
        ObjectNode o = F.objectNode().put("type", "currency");
        ObjectNode c = o.putObject("currency");
        c.put("fallback_value", fallbackValue);
        c.put("code", isoCode);
        c.put("amount_1000", amountTimes1000);
        return new TemplateParameter(o);
    }

    /** {@code {"type":"date_time","date_time":{"fallback_value"}}}. */
    public static TemplateParameter dateTime(String fallbackValue) {
        ObjectNode o = F.objectNode().put("type", "date_time");
        o.putObject("date_time").put("fallback_value", fallbackValue);
        return new TemplateParameter(o);
    }

    public static TemplateParameter image(MediaSource media) {
        return media("image", media, null);
    }

    public static TemplateParameter video(MediaSource media) {
        return media("video", media, null);
    }

    /** A document header parameter; {@code filename} may be null. */
    public static TemplateParameter document(MediaSource media, String filename) {
        return media("document", media, filename);
    }

    /** A quick-reply button's payload: {@code {"type":"payload","payload":...}}. */
    public static TemplateParameter payload(String payload) {
        ObjectNode o = F.objectNode().put("type", "payload");
        o.put("payload", payload);
        return new TemplateParameter(o);
    }

    /** A copy-code button's code: {@code {"type":"coupon_code","coupon_code":...}}. */
    public static TemplateParameter couponCode(String code) {
        ObjectNode o = F.objectNode().put("type", "coupon_code");
        o.put("coupon_code", code);
        return new TemplateParameter(o);
    }

    private static TemplateParameter media(String type, MediaSource media, String filename) {
        ObjectNode o = F.objectNode().put("type", type);
        ObjectNode m = o.putObject(type);
        if (media.id() != null) m.put("id", media.id());
        else m.put("link", media.link());
        if (filename != null) m.put("filename", filename);
        return new TemplateParameter(o);
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
