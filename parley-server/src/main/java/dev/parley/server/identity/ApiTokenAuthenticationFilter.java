package dev.parley.server.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Reads {@code Authorization: Bearer <token>} and, when the token is valid, makes its {@link Actor} the
 * request's authentication. It rejects nothing itself: the authorization rules decide, and the entry point
 * answers 401 with the reason this filter left in a request attribute.
 */
final class ApiTokenAuthenticationFilter extends OncePerRequestFilter {

    static final String FAILURE = ApiTokenAuthenticationFilter.class.getName() + ".failure";

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
                tokens.authenticate(header.substring(7).strip()).ifPresentOrElse(actor -> {
                    SecurityContext context = SecurityContextHolder.createEmptyContext();
                    context.setAuthentication(new ActorAuthentication(actor));
                    SecurityContextHolder.setContext(context);
                }, () -> request.setAttribute(FAILURE, "the API token is invalid or has been revoked"));
            } else {
                request.setAttribute(FAILURE, "the Authorization header must be: Bearer <api token>");
            }
        }
        chain.doFilter(request, response);
    }
}
