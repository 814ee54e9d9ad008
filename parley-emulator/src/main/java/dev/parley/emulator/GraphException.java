package dev.parley.emulator;

import tools.jackson.databind.node.ObjectNode;

/** A Graph API error as Meta returns it: HTTP status plus the {@code {"error":{...}}} body. */
final class GraphException extends RuntimeException {
    final int httpStatus;
    final int code;
    final Integer subcode;
    final String type;
    final String details;
    final boolean whatsappData;
    String userTitle;
    String userMessage;
    Boolean transientError;

    private GraphException(int httpStatus, int code, Integer subcode, String type, String message, String details,
                           boolean whatsappData) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
        this.subcode = subcode;
        this.type = type;
        this.details = details;
        this.whatsappData = whatsappData;
    }

    /** A WhatsApp error with {@code error_data.details}; the message is "(#code) title". */
    static GraphException wa(int code, String title, String details) {
        return new GraphException(statusFor(code), code, null, "OAuthException", "(#" + code + ") " + title, details, true);
    }

    static GraphException invalidParam(String details) {
        return wa(100, "Invalid parameter", details);
    }

    static GraphException missing(String details) {
        return wa(131008, "Required parameter is missing", details);
    }

    static GraphException invalidValue(String details) {
        return wa(131009, "Parameter value is not valid", details);
    }

    /** A plain Graph error without error_data. */
    static GraphException graph(int httpStatus, int code, Integer subcode, String type, String message) {
        return new GraphException(httpStatus, code, subcode, type, message, null, false);
    }

    static GraphException notFound(String id, String method) {
        return graph(400, 100, 33, "GraphMethodException", "Unsupported " + method + " request. Object with ID '" + id
                + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
                + " Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api");
    }

    static GraphException unknownPath(String path) {
        return graph(400, 2500, null, "OAuthException", "Unknown path components: " + path);
    }

    GraphException userText(String title, String msg) {
        this.userTitle = title;
        this.userMessage = msg;
        return this;
    }

    GraphException transientFlag(boolean t) {
        this.transientError = t;
        return this;
    }

    static int statusFor(int code) {
        switch (code) {
            case 190: return 401;
            case 10: case 200: return 403;
            case 130429: case 80007: case 4: return 429;
            case 1: case 2: case 131000: case 131016: case 133004: return 500;
            default: return 400;
        }
    }

    ObjectNode body(String fbtraceId) {
        ObjectNode root = MetaJson.object();
        ObjectNode e = root.putObject("error");
        e.put("message", getMessage());
        e.put("type", type);
        e.put("code", code);
        if (whatsappData && details != null) {
            ObjectNode d = e.putObject("error_data");
            d.put("messaging_product", "whatsapp");
            d.put("details", details);
        }
        if (subcode != null) e.put("error_subcode", subcode.intValue());
        if (transientError != null) e.put("is_transient", transientError.booleanValue());
        if (userTitle != null) e.put("error_user_title", userTitle);
        if (userMessage != null) e.put("error_user_msg", userMessage);
        e.put("fbtrace_id", fbtraceId);
        return root;
    }
}
