package dev.parley.server.identity;

import dev.parley.server.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** The {@link Actor} of the request being handled, for code that is not a controller. */
@Component
public class CurrentActor {

    public Optional<Actor> find() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof Actor actor) {
            return Optional.of(actor);
        }
        return Optional.empty();
    }

    /** The actor, or a 401 when the request is not authenticated. */
    public Actor require() {
        return find().orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized",
                "send Authorization: Bearer <api token>"));
    }
}
