package dev.parley.server.webhook;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Serves Meta's GET and POST on the two webhook URLs straight from the servlet container, ahead of Spring Security
 * and Spring MVC, with exactly the code the {@link WebhookController} runs. Those URLs are public (Meta's signature
 * is the authentication; security permits them anyway) and answer short text, so the security filter chain and the
 * MVC dispatch (handler lookup, argument resolution, data binders) are pure overhead on the ack path: on two cores
 * they cost more CPU per delivery than the webhook code itself. Anything unusual (another method, a token with
 * characters an opaque token never has) goes down the normal chain to the controller, which answers as before.
 * <p>
 * Skipping Spring Security also skips the headers it adds to every other answer; they are set here instead, the
 * same names and values (constants: a few {@code setHeader} calls per request), so a webhook answer is no less
 * protected than any other (WebhookContract compares them with a normal answer of the app).
 */
final class WebhookFastPath extends HttpFilter {

    static final String GLOBAL = "/webhooks/whatsapp";
    private static final String PREFIX = GLOBAL + "/";

    /** Spring Security's default headers (its HeaderWriterFilter, on every answer of the filter chains). */
    private static final String[] HEADER_NAMES = {"X-Content-Type-Options", "X-XSS-Protection", "Cache-Control",
            "Pragma", "Expires", "X-Frame-Options"};
    private static final String[] HEADER_VALUES = {"nosniff", "0", "no-cache, no-store, max-age=0, must-revalidate",
            "no-cache", "0", "DENY"};
    /** Spring Security writes Strict-Transport-Security on secure requests only; so does this. */
    private static final String HSTS = "Strict-Transport-Security";
    private static final String HSTS_VALUE = "max-age=31536000 ; includeSubDomains";

    private final WebhookController controller;

    WebhookFastPath(WebhookController controller) {
        this.controller = controller;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String method = request.getMethod();
        boolean get = "GET".equals(method);
        if (!get && !"POST".equals(method)) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(GLOBAL)) {
            securityHeaders(request, response);
            if (get) {
                controller.globalHandshake(request.getParameter("hub.mode"), request.getParameter("hub.verify_token"),
                        request.getParameter("hub.challenge"), response);
            } else {
                controller.receiveGlobal(request, response);
            }
            return;
        }
        String token = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (!plainToken(token)) {
            chain.doFilter(request, response);
            return;
        }
        securityHeaders(request, response);
        if (get) {
            controller.handshake(token, request.getParameter("hub.mode"), request.getParameter("hub.verify_token"),
                    request.getParameter("hub.challenge"), response);
        } else {
            controller.receive(token, request, response);
        }
    }

    private static void securityHeaders(HttpServletRequest request, HttpServletResponse response) {
        for (int i = 0; i < HEADER_NAMES.length; i++) {
            response.setHeader(HEADER_NAMES[i], HEADER_VALUES[i]);
        }
        if (request.isSecure()) {
            response.setHeader(HSTS, HSTS_VALUE);
        }
    }

    /** A non-empty token of URL-safe characters only (what Parley generates), so no decoding is involved. */
    static boolean plainToken(String token) {
        if (token.isEmpty() || token.length() > 200) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
