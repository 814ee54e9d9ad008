package dev.parley.server.identity;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;

/**
 * Turns Spring Security's password sign-in events (the web UI's form login) into
 * {@link IdentityEvents.UserLoggedIn}, so they are audited. API token use is not a login and is not audited
 * per request (see {@code api_tokens.last_used_at}).
 */
@Component
class LoginEvents {

    private final Users users;
    private final ApplicationEventPublisher events;

    LoginEvents(Users users, ApplicationEventPublisher events) {
        this.users = users;
        this.events = events;
    }

    @EventListener
    void success(AuthenticationSuccessEvent e) {
        if (e.getAuthentication() instanceof UsernamePasswordAuthenticationToken auth) {
            users.findByEmail(auth.getName())
                    .ifPresent(u -> events.publishEvent(new IdentityEvents.UserLoggedIn(u.orgId(), u.email(), true)));
        } else if (e.getAuthentication() instanceof ActorAuthentication auth && auth.getPrincipal() instanceof Actor a
                && a.tokenId() == null) {
            // the web UI's password sign-in (SessionLoginProvider)
            events.publishEvent(new IdentityEvents.UserLoggedIn(a.orgId(), a.email(), true));
        }
    }

    @EventListener
    void failure(AbstractAuthenticationFailureEvent e) {
        if (e.getAuthentication() instanceof UsernamePasswordAuthenticationToken auth) {
            users.findByEmail(auth.getName())
                    .ifPresent(u -> events.publishEvent(new IdentityEvents.UserLoggedIn(u.orgId(), u.email(), false)));
        }
    }
}
