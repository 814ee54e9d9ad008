package dev.parley.server.identity;

import dev.parley.server.web.StoreUnavailable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;

/**
 * Reads {@code Authorization: Bearer <token>} and, when the token is valid, makes its {@link Actor} the
 * request's authentication. It rejects nothing itself: the authorization rules decide, and the entry point
 * answers 401 with the reason this filter left in a request attribute.
 * <p>
 * When the token cannot be checked because the database cannot be reached, the request goes on unauthenticated
 * with {@link #STORE_UNAVAILABLE} set: a public URL (health) answers as it does to anyone (503 DOWN without
 * details), and the entry point answers every other URL 503 {@code store_unavailable} with Retry-After, not 401
 * (the token may well be valid) and not 500.
 */
final class ApiTokenAuthenticationFilter extends OncePerRequestFilter {

    static final String FAILURE = ApiTokenAuthenticationFilter.class.getName() + ".failure";
    static final String STORE_UNAVAILABLE = ApiTokenAuthenticationFilter.class.getName() + ".storeUnavailable";

    private static final Logger log = LoggerFactory.getLogger(ApiTokenAuthenticationFilter.class);

    private final ApiTokens tokens;

    ApiTokenAuthenticationFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                Optional<Actor> actor;
                try {
                    actor = tokens.authenticate(header.substring(7).strip());
                } catch (RuntimeException e) {
                    if (!StoreUnavailable.is(e)) {
                        throw e;
                    }
                    log.warn("the database is unavailable, an API token cannot be checked: {}", e.toString());
                    request.setAttribute(STORE_UNAVAILABLE, Boolean.TRUE);
                    actor = null;
                }
                if (actor != null) {
                    actor.ifPresentOrElse(a -> {
                        SecurityContext context = SecurityContextHolder.createEmptyContext();
                        context.setAuthentication(new ActorAuthentication(a));
                        SecurityContextHolder.setContext(context);
                    }, () -> request.setAttribute(FAILURE, "the API token is invalid or has been revoked"));
                }
            } else {
                request.setAttribute(FAILURE, "the Authorization header must be: Bearer <api token>");
            }
        }
        chain.doFilter(request, response);
    }
}
