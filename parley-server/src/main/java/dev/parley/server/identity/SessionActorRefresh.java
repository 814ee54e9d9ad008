package dev.parley.server.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;

/**
 * Re-reads a signed-in user on every web request: a deleted user is signed out at once and a changed role
 * applies at once, instead of living on in the session.
 */
final class SessionActorRefresh extends OncePerRequestFilter {

    private final Users users;

    SessionActorRefresh(Users users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof Actor actor && actor.tokenId() == null) {
            Optional<User> user = users.find(actor.orgId(), actor.userId());
            if (user.isEmpty()) {
                SecurityContextHolder.clearContext();
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
            } else if (user.get().role() != actor.role()) {
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new ActorAuthentication(new Actor(actor.orgId(), actor.userId(),
                        user.get().role(), actor.email(), null)));
                SecurityContextHolder.setContext(context);
            }
        }
        chain.doFilter(request, response);
    }
}
