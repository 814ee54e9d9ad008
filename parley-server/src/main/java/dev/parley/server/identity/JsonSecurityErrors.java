package dev.parley.server.identity;

import dev.parley.server.web.ApiError;
import dev.parley.server.web.StoreUnavailable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * 401 and 403 answers from the security filters, in the API's JSON error shape; 503 {@code store_unavailable} when
 * the caller's API token could not be checked because the database is unreachable.
 */
final class JsonSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final JsonMapper json;

    JsonSecurityErrors(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (request.getAttribute(ApiTokenAuthenticationFilter.STORE_UNAVAILABLE) != null) {
            // the token could not be checked: it may well be valid, so not 401; the caller retries as on any outage
            response.setHeader(HttpHeaders.RETRY_AFTER, StoreUnavailable.RETRY_AFTER);
            write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, StoreUnavailable.CODE, StoreUnavailable.MESSAGE);
            return;
        }
        Object reason = request.getAttribute(ApiTokenAuthenticationFilter.FAILURE);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        write(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized",
                reason != null ? reason.toString() : "send Authorization: Bearer <api token>");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(response, HttpServletResponse.SC_FORBIDDEN, "forbidden", "your role may not do this");
    }

    private void write(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(ApiError.of(code, message)));
    }
}
