package dev.parley.server.identity;

import dev.parley.server.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /api/v1/users}: owners manage the people of their organization. */
@RestController
@RequestMapping("/api/v1/users")
class UserController {

    private static final String ROLES = "owner|admin|agent";

    private final Users users;

    UserController(Users users) {
        this.users = users;
    }

    record CreateRequest(@NotBlank @Email @Size(max = 320) String email,
                         @Size(max = 200) String displayName,
                         @NotBlank @Pattern(regexp = ROLES, message = "must be one of owner, admin, agent") String role,
                         @Size(min = Users.MIN_PASSWORD_LENGTH, max = 200) String password) {
    }

    record UpdateRequest(@Pattern(regexp = ROLES, message = "must be one of owner, admin, agent") String role,
                         @Size(max = 200) String displayName) {
    }

    @GetMapping
    Map<String, List<User>> list(Actor actor) {
        actor.requireRole(Role.OWNER);
        return Map.of("data", users.list(actor.orgId()));
    }

    @GetMapping("/{id}")
    User get(Actor actor, @PathVariable UUID id) {
        actor.requireRole(Role.OWNER);
        return users.get(actor.orgId(), id);
    }

    @PostMapping
    ResponseEntity<User> create(Actor actor, @Valid @RequestBody CreateRequest body) {
        actor.requireRole(Role.OWNER);
        User user = users.create(actor.orgId(), actor.email(), body.email(), body.displayName(),
                Role.parse(body.role()).orElseThrow(), body.password());
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.id())).body(user);
    }

    @PutMapping("/{id}")
    User update(Actor actor, @PathVariable UUID id, @Valid @RequestBody UpdateRequest body) {
        actor.requireRole(Role.OWNER);
        User user = users.get(actor.orgId(), id);
        if (body.displayName() != null) {
            user = users.rename(actor.orgId(), id, body.displayName());
        }
        if (body.role() != null) {
            user = users.changeRole(actor.orgId(), actor.email(), id, Role.parse(body.role()).orElseThrow());
        }
        if (body.role() == null && body.displayName() == null) {
            throw ApiException.badRequest("validation_failed", "send role and/or display_name");
        }
        return user;
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Actor actor, @PathVariable UUID id) {
        actor.requireRole(Role.OWNER);
        users.delete(actor.orgId(), actor.email(), id);
        return ResponseEntity.noContent().build();
    }
}
