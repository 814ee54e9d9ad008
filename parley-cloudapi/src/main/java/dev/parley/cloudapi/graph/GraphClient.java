package dev.parley.cloudapi.graph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.parley.cloudapi.outbound.OutboundMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client of Meta's Graph API for the WhatsApp Cloud API.
 *
 * <p>Immutable and thread-safe. The base URL, API version and access token belong to the instance; the
 * {@code with...} methods return a new instance sharing the same {@link HttpClient}, so one process can talk to
 * many tenants on different versions and tokens at once. There is no global state.
 *
 * <pre>{@code
 * GraphClient graph = GraphClient.builder().accessToken(token).build();       // graph.facebook.com, v25.0
 * SendResult r = graph.send(phoneNumberId, OutboundMessage.text("15551234567", "Hello").build());
 * GraphClient tenantB = graph.withAccessToken(otherToken).withApiVersion("v23.0");
 * }</pre>
 *
 * <p>Every call throws {@link GraphApiException} when Meta answers with an error and
 * {@link GraphTransportException} when no answer arrives (timeout, connection refused or dropped); both are
 * {@link GraphException}s with a {@link Classification}.
 */
public final class GraphClient {

    public static final String DEFAULT_BASE_URL = "https://graph.facebook.com";
    /** The current Graph API version in Meta's examples (facts sheet section 11). */
    public static final String DEFAULT_API_VERSION = "v25.0";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern VERSION = Pattern.compile("v\\d+(\\.\\d+)?");
    private static final int MAX_PAGES = 1000;
    private static final int MAX_RAW_BODY = 2000;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final String baseUrl;
    private final String apiVersion;
    private final String accessToken;
    private final HttpClient httpClient;
    private final Duration timeout;

    private GraphClient(String baseUrl, String apiVersion, String accessToken, HttpClient httpClient,
                        Duration timeout) {
        this.baseUrl = normalizeBaseUrl(baseUrl);
        this.apiVersion = normalizeVersion(apiVersion);
        this.accessToken = accessToken;
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this client's settings. */
    public Builder toBuilder() {
        return new Builder().baseUrl(baseUrl).apiVersion(apiVersion).accessToken(accessToken).httpClient(httpClient)
                .timeout(timeout);
    }

    /** Builds a {@link GraphClient}. Defaults: {@value #DEFAULT_BASE_URL}, {@value #DEFAULT_API_VERSION}, 30 s. */
    public static final class Builder {
        private String baseUrl = DEFAULT_BASE_URL;
        private String apiVersion = DEFAULT_API_VERSION;
        private String accessToken;
        private HttpClient httpClient;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder() {
        }

        /** E.g. {@code https://graph.facebook.com} or an emulator's {@code http://127.0.0.1:9090}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** E.g. {@code v25.0} (a bare {@code 25.0} is accepted too). */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        /** The token sent as {@code Authorization: Bearer}; may be left out for {@link #exchangeCode} only. */
        public Builder accessToken(String accessToken) {
            this.accessToken = accessToken;
            return this;
        }

        /** The JDK client to use (share one per process); by default a new one with a 10 s connect timeout. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** Timeout of each request, from sending to the end of the answer's headers. Default 30 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public GraphClient build() {
            HttpClient client = httpClient != null ? httpClient
                    : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                            .followRedirects(HttpClient.Redirect.NORMAL).build();
            return new GraphClient(baseUrl, apiVersion, accessToken, client, timeout);
        }
    }

    // ------------------------------------------------------------------ settings

    public GraphClient withAccessToken(String accessToken) {
        return new GraphClient(baseUrl, apiVersion, accessToken, httpClient, timeout);
    }

    public GraphClient withApiVersion(String apiVersion) {
        return new GraphClient(baseUrl, apiVersion, accessToken, httpClient, timeout);
    }

    public GraphClient withBaseUrl(String baseUrl) {
        return new GraphClient(baseUrl, apiVersion, accessToken, httpClient, timeout);
    }

    public GraphClient withTimeout(Duration timeout) {
        return new GraphClient(baseUrl, apiVersion, accessToken, httpClient, timeout);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public Duration timeout() {
        return timeout;
    }

    private static String normalizeBaseUrl(String url) {
        Objects.requireNonNull(url, "baseUrl");
        String u = url.trim();
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl is not a valid URL: " + url, e);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, was: " + url);
        }
        return u;
    }

    private static String normalizeVersion(String version) {
        Objects.requireNonNull(version, "apiVersion");
        String v = version.trim();
        if (!v.isEmpty() && Character.isDigit(v.charAt(0))) v = "v" + v;
        if (!VERSION.matcher(v).matches()) {
            throw new IllegalArgumentException("apiVersion must look like v25.0, was: " + version);
        }
        return v;
    }

    @Override
    public String toString() {
        return "GraphClient[" + baseUrl + "/" + apiVersion + "]";
    }

    // ------------------------------------------------------------------ messages

    /** Sends a message built (and checked) with {@link OutboundMessage}'s builders. */
    public SendResult send(String phoneNumberId, OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        return sendJson(phoneNumberId, message.toJson());
    }

    /**
     * Sends Meta's own send body as is ({@code POST /{phone_number_id}/messages}). Nothing is checked locally;
     * use {@link dev.parley.cloudapi.outbound.OutboundValidator} first to refuse what Meta would refuse.
     */
    public SendResult sendJson(String phoneNumberId, JsonNode metaBody) {
        Objects.requireNonNull(metaBody, "metaBody");
        return SendResult.from(postJson(id(phoneNumberId) + "/messages", metaBody));
    }

    /**
     * Marks an inbound message (and the earlier ones of that conversation) as read; with {@code typing} the
     * customer also sees a typing indicator until the reply or for about 25 s.
     */
    public void markRead(String phoneNumberId, String wamid, boolean typing) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("status", "read");
        body.put("message_id", requireText(wamid, "wamid"));
        if (typing) body.putObject("typing_indicator").put("type", "text");
        requireSuccess(postJson(id(phoneNumberId) + "/messages", body), "mark as read");
    }

    // ------------------------------------------------------------------ phone numbers

    /** {@code GET /{phone_number_id}} with Meta's default fields. */
    public PhoneNumber getPhoneNumber(String phoneNumberId) {
        return PhoneNumber.from(get(id(phoneNumberId), Map.of()));
    }

    /** {@code GET /{phone_number_id}?fields=...}; e.g. {@code whatsapp_business_manager_messaging_limit}. */
    public PhoneNumber getPhoneNumber(String phoneNumberId, String... fields) {
        Map<String, String> q = new LinkedHashMap<>();
        if (fields.length > 0) q.put("fields", String.join(",", fields));
        return PhoneNumber.from(get(id(phoneNumberId), q));
    }

    /** Every phone number of a WABA ({@code GET /{waba_id}/phone_numbers}), following the paging to the end. */
    public List<PhoneNumber> listPhoneNumbers(String wabaId) {
        return listPhoneNumbers(wabaId, 0);
    }

    /** As {@link #listPhoneNumbers(String)}, asking for {@code pageSize} numbers per request (0 = Meta's default). */
    public List<PhoneNumber> listPhoneNumbers(String wabaId, int pageSize) {
        List<PhoneNumber> out = new ArrayList<>();
        for (JsonNode n : allPages(id(wabaId) + "/phone_numbers", pageSize)) out.add(PhoneNumber.from(n));
        return out;
    }

    /** Registers a number for Cloud API use with its 6-digit two-step PIN ({@code POST /{id}/register}). */
    public void register(String phoneNumberId, String pin) {
        register(phoneNumberId, pin, null);
    }

    /** As {@link #register(String, String)} with a data localization region (e.g. {@code DE}), or null. */
    public void register(String phoneNumberId, String pin, String dataLocalizationRegion) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("pin", requireText(pin, "pin"));
        if (dataLocalizationRegion != null) body.put("data_localization_region", dataLocalizationRegion);
        requireSuccess(postJson(id(phoneNumberId) + "/register", body), "register");
    }

    /** {@code POST /{phone_number_id}/deregister}. */
    public void deregister(String phoneNumberId) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("messaging_product", "whatsapp");
        requireSuccess(postJson(id(phoneNumberId) + "/deregister", body), "deregister");
    }

    // ------------------------------------------------------------------ subscribed apps

    /** Subscribes the token's app to the WABA's webhooks ({@code POST /{waba_id}/subscribed_apps}). */
    public void subscribeApp(String wabaId) {
        requireSuccess(postJson(id(wabaId) + "/subscribed_apps", MAPPER.createObjectNode()), "subscribe app");
    }

    /** As {@link #subscribeApp(String)}, overriding the callback URL for this WABA. */
    public void subscribeApp(String wabaId, String overrideCallbackUri, String verifyToken) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("override_callback_uri", requireText(overrideCallbackUri, "overrideCallbackUri"));
        body.put("verify_token", requireText(verifyToken, "verifyToken"));
        requireSuccess(postJson(id(wabaId) + "/subscribed_apps", body), "subscribe app");
    }

    /** The apps subscribed to a WABA. */
    public List<SubscribedApp> listSubscribedApps(String wabaId) {
        List<SubscribedApp> out = new ArrayList<>();
        for (JsonNode n : Nodes.array(get(id(wabaId) + "/subscribed_apps", Map.of()), "data")) {
            out.add(SubscribedApp.from(n));
        }
        return out;
    }

    /** {@code DELETE /{waba_id}/subscribed_apps}. */
    public void unsubscribeApp(String wabaId) {
        requireSuccess(call("DELETE", id(wabaId) + "/subscribed_apps", Map.of(), null, null), "unsubscribe app");
    }

    // ------------------------------------------------------------------ templates

    /**
     * One page of a WABA's templates.
     *
     * @param after a cursor from {@link TemplatePage#after()}, or null for the first page
     * @param limit page size, or 0 for Meta's default
     */
    public TemplatePage listTemplates(String wabaId, String after, int limit) {
        Map<String, String> q = new LinkedHashMap<>();
        if (limit > 0) q.put("limit", Integer.toString(limit));
        if (after != null) q.put("after", after);
        JsonNode root = get(id(wabaId) + "/message_templates", q);
        List<MessageTemplate> list = new ArrayList<>();
        for (JsonNode n : Nodes.array(root, "data")) list.add(MessageTemplate.from(n));
        return new TemplatePage(list, nextCursor(root), root);
    }

    /** Every template of a WABA, following the paging to the end. */
    public List<MessageTemplate> listAllTemplates(String wabaId) {
        List<MessageTemplate> out = new ArrayList<>();
        for (JsonNode n : allPages(id(wabaId) + "/message_templates", 0)) out.add(MessageTemplate.from(n));
        return out;
    }

    /** {@code GET /{template_id}}. */
    public MessageTemplate getTemplate(String templateId) {
        return MessageTemplate.from(get(id(templateId), Map.of()));
    }

    /**
     * Creates a template from Meta's own definition: {@code {"name","language","category","components":[...]}}
     * ({@code POST /{waba_id}/message_templates}). It starts PENDING until Meta reviews it.
     */
    public TemplateCreated createTemplate(String wabaId, JsonNode definition) {
        Objects.requireNonNull(definition, "definition");
        return TemplateCreated.from(postJson(id(wabaId) + "/message_templates", definition));
    }

    /** Creates a template; {@code components} is Meta's array of HEADER/BODY/FOOTER/BUTTONS objects. */
    public TemplateCreated createTemplate(String wabaId, String name, String language, String category,
                                          JsonNode components) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("name", requireText(name, "name"));
        body.put("language", requireText(language, "language"));
        body.put("category", requireText(category, "category"));
        body.set("components", Objects.requireNonNull(components, "components"));
        return createTemplate(wabaId, body);
    }

    /** Deletes every language of a template name. */
    public void deleteTemplate(String wabaId, String name) {
        deleteTemplate(wabaId, name, null);
    }

    /** Deletes one template (by its id, {@code hsm_id}) of a name, or every language when {@code templateId} is null. */
    public void deleteTemplate(String wabaId, String name, String templateId) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("name", requireText(name, "name"));
        if (templateId != null) q.put("hsm_id", templateId);
        requireSuccess(call("DELETE", id(wabaId) + "/message_templates", q, null, null), "delete template");
    }

    // ------------------------------------------------------------------ media

    /**
     * Uploads media for a number ({@code POST /{phone_number_id}/media}, multipart) and returns its media id
     * (valid 30 days).
     */
    public String uploadMedia(String phoneNumberId, byte[] bytes, String mimeType, String filename) {
        Objects.requireNonNull(bytes, "bytes");
        requireText(mimeType, "mimeType");
        String name = filename == null || filename.isBlank() ? "file" : filename;
        String boundary = "----parley" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 512);
        writePart(out, boundary, "Content-Disposition: form-data; name=\"messaging_product\"", "whatsapp");
        writePart(out, boundary, "Content-Disposition: form-data; name=\"type\"", mimeType);
        String header = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + name.replace("\"", "%22").replace("\r", "").replace("\n", "") + "\"\r\nContent-Type: " + mimeType
                + "\r\n\r\n";
        out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode root = call("POST", id(phoneNumberId) + "/media", Map.of(),
                HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()), "multipart/form-data; boundary=" + boundary);
        String mediaId = Nodes.text(root, "id");
        if (mediaId == null) throw unexpected(200, root.toString(), "media upload answered without an id");
        return mediaId;
    }

    private static void writePart(ByteArrayOutputStream out, String boundary, String disposition, String value) {
        out.writeBytes(("--" + boundary + "\r\n" + disposition + "\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** {@code GET /{media_id}}: the download URL (valid about 5 minutes), MIME type, hash and size. */
    public MediaInfo getMedia(String mediaId) {
        return getMedia(mediaId, null);
    }

    /** As {@link #getMedia(String)}, only if the media belongs to {@code phoneNumberId} (when not null). */
    public MediaInfo getMedia(String mediaId, String phoneNumberId) {
        Map<String, String> q = new LinkedHashMap<>();
        if (phoneNumberId != null) q.put("phone_number_id", phoneNumberId);
        return MediaInfo.from(get(id(mediaId), q));
    }

    /**
     * Downloads media from a URL of {@link #getMedia} with this client's token. An expired URL answers 404
     * ({@link GraphApiException}, PERMANENT): get a fresh URL and try again.
     */
    public MediaDownload downloadMedia(String url) {
        URI uri;
        try {
            uri = URI.create(requireText(url, "url"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a media URL: " + url, e);
        }
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("media URL must be http(s), was: " + url);
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (accessToken != null) rb.header("Authorization", "Bearer " + accessToken);
        HttpResponse<byte[]> resp = exchange(rb.build(), "GET", uri);
        if (resp.statusCode() / 100 != 2) throw errorFrom(resp, "media download");
        return new MediaDownload(resp.body(), resp.headers().firstValue("Content-Type").orElse(null));
    }

    /** Gets a fresh URL for the media and downloads it. */
    public MediaDownload downloadMediaById(String mediaId) {
        return downloadMedia(getMedia(mediaId).url());
    }

    /** {@code DELETE /{media_id}}. */
    public void deleteMedia(String mediaId) {
        requireSuccess(call("DELETE", id(mediaId), Map.of(), null, null), "delete media");
    }

    // ------------------------------------------------------------------ OAuth

    /**
     * Exchanges an Embedded Signup code for a business token ({@code GET /oauth/access_token}); needs no access
     * token. The app secret travels in the query string as Meta requires, over TLS; it never appears in
     * exception messages.
     */
    public OAuthToken exchangeCode(String appId, String appSecret, String code) {
        return exchangeCode(appId, appSecret, code, null);
    }

    /** As {@link #exchangeCode(String, String, String)} with the {@code redirect_uri} of the login dialog. */
    public OAuthToken exchangeCode(String appId, String appSecret, String code, String redirectUri) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", requireText(appId, "appId"));
        q.put("client_secret", requireText(appSecret, "appSecret"));
        q.put("code", requireText(code, "code"));
        if (redirectUri != null) q.put("redirect_uri", redirectUri);
        OAuthToken t = OAuthToken.from(call("GET", "oauth/access_token", q, null, null, false));
        if (t.accessToken() == null) throw unexpected(200, t.raw().toString(), "code exchange returned no access_token");
        return t;
    }

    /**
     * {@code GET /debug_token?input_token=...}, called with this client's token (an app token
     * {@code app_id|app_secret} or a valid user/system token).
     */
    public TokenInfo debugToken(String inputToken) {
        return TokenInfo.from(get("debug_token", Map.of("input_token", requireText(inputToken, "inputToken"))));
    }

    // ------------------------------------------------------------------ plumbing

    private List<JsonNode> allPages(String path, int pageSize) {
        List<JsonNode> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            Map<String, String> q = new LinkedHashMap<>();
            if (pageSize > 0) q.put("limit", Integer.toString(pageSize));
            if (after != null) q.put("after", after);
            JsonNode root = get(path, q);
            out.addAll(Nodes.array(root, "data"));
            after = nextCursor(root);
            if (after == null || !seen.add(after)) return out;
        }
        throw new IllegalStateException("more than " + MAX_PAGES + " pages of " + path);
    }

    /** The {@code after} cursor when Meta says there is a next page ({@code paging.next}), else null. */
    private static String nextCursor(JsonNode root) {
        JsonNode paging = root.get("paging");
        if (paging == null || !paging.isObject()) return null;
        if (Nodes.text(paging, "next") == null) return null;
        return Nodes.text(paging.get("cursors"), "after");
    }

    private static String id(String id) {
        String v = requireText(id, "id");
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private static String requireText(String v, String name) {
        if (v == null || v.isBlank()) throw new IllegalArgumentException(name + " must not be empty");
        return v;
    }

    private JsonNode get(String path, Map<String, String> query) {
        return call("GET", path, query, null, null);
    }

    private JsonNode postJson(String path, JsonNode body) {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        return call("POST", path, Map.of(), HttpRequest.BodyPublishers.ofByteArray(bytes), "application/json");
    }

    private JsonNode call(String method, String path, Map<String, String> query, HttpRequest.BodyPublisher body,
                          String contentType) {
        return call(method, path, query, body, contentType, true);
    }

    private JsonNode call(String method, String path, Map<String, String> query, HttpRequest.BodyPublisher body,
                          String contentType, boolean auth) {
        StringBuilder url = new StringBuilder(baseUrl).append('/').append(apiVersion).append('/').append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            url.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        URI uri = URI.create(url.toString());
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (contentType != null) rb.header("Content-Type", contentType);
        if (auth && accessToken != null) rb.header("Authorization", "Bearer " + accessToken);
        HttpResponse<byte[]> resp = exchange(rb.build(), method, uri);
        if (resp.statusCode() / 100 != 2) throw errorFrom(resp, null);
        JsonNode root;
        try {
            root = MAPPER.readTree(resp.body());
        } catch (JacksonException e) {
            throw unexpected(resp.statusCode(), text(resp.body()), "success answer is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw unexpected(resp.statusCode(), text(resp.body()), "success answer is not a JSON object");
        }
        if (root.has("error") && root.get("error").isObject()) throw errorFrom(resp, null);
        return root;
    }

    private HttpResponse<byte[]> exchange(HttpRequest request, String method, URI uri) {
        String safeUrl = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
        try {
            return httpClient.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new GraphTransportException(GraphTransportException.Kind.CONNECTION, method, safeUrl, e);
        } catch (HttpTimeoutException e) {
            throw new GraphTransportException(GraphTransportException.Kind.TIMEOUT, method, safeUrl, e);
        } catch (ConnectException e) {
            throw new GraphTransportException(GraphTransportException.Kind.CONNECTION, method, safeUrl, e);
        } catch (IOException e) {
            throw new GraphTransportException(GraphTransportException.Kind.CONNECTION, method, safeUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraphTransportException(GraphTransportException.Kind.INTERRUPTED, method, safeUrl, e);
        }
    }

    private static void requireSuccess(JsonNode root, String what) {
        JsonNode s = root.get("success");
        if (s != null && s.isBoolean() && !s.booleanValue()) {
            throw unexpected(200, root.toString(), what + " answered success:false");
        }
    }

    private static GraphApiException unexpected(int status, String body, String context) {
        return new GraphApiException(status, GraphApiException.NO_ERROR_OBJECT, null, null, null, null, null, null,
                null, null, null, truncate(body), null, context);
    }

    static GraphApiException errorFrom(HttpResponse<byte[]> resp, String context) {
        Duration retryAfter = resp.headers().firstValue("Retry-After").map(GraphClient::seconds).orElse(null);
        String text = text(resp.body());
        JsonNode root = null;
        try {
            root = MAPPER.readTree(resp.body());
        } catch (JacksonException | IllegalArgumentException e) {
            // not JSON: reported with the raw body below
        }
        JsonNode error = root != null && root.isObject() ? root.get("error") : null;
        if (error == null || !error.isObject()) {
            return new GraphApiException(resp.statusCode(), GraphApiException.NO_ERROR_OBJECT, null, null, null, null,
                    null, null, null, null, null, truncate(text), retryAfter, context);
        }
        Integer code = Nodes.intValue(error, "code");
        JsonNode data = error.get("error_data");
        String details = data != null && data.isObject() ? Nodes.text(data, "details")
                : data != null && data.isString() ? data.asString() : null;
        return new GraphApiException(resp.statusCode(), code == null ? GraphApiException.NO_ERROR_OBJECT : code,
                Nodes.intValue(error, "error_subcode"), Nodes.text(error, "type"), Nodes.text(error, "message"),
                Nodes.text(error, "error_user_title"), Nodes.text(error, "error_user_msg"), details,
                Nodes.text(error, "fbtrace_id"), Nodes.bool(error, "is_transient"), error,
                code == null ? truncate(text) : null, retryAfter, context);
    }

    private static Duration seconds(String header) {
        try {
            long s = Long.parseLong(header.trim());
            return s >= 0 ? Duration.ofSeconds(s) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    private static String truncate(String s) {
        if (s == null) return null;
        return s.length() <= MAX_RAW_BODY ? s : s.substring(0, MAX_RAW_BODY) + "...";
    }
}
