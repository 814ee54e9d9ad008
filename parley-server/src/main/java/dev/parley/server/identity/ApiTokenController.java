package dev.parley.server.identity;

import dev.parley.server.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /api/v1/api-tokens}: owners and admins create, list and revoke their organization's tokens. */
@RestController
@RequestMapping("/api/v1/api-tokens")
class ApiTokenController {

    private final ApiTokens tokens;
    private final Users users;

    ApiTokenController(ApiTokens tokens, Users users) {
        this.tokens = tokens;
        this.users = users;
    }

    record CreateRequest(@NotBlank @Size(max = 200) String name, UUID userId) {
    }


    @PostMapping
    ResponseEntity<Map<String, Object>> create(Actor actor, @Valid @RequestBody CreateRequest body) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        UUID userId = body.userId() == null ? actor.userId() : body.userId();
        User user = users.find(actor.orgId(), userId).orElseThrow(() -> ApiException.notFound("user"));
        if (!actor.role().atLeast(user.role())) {
            throw ApiException.forbidden("you cannot create a token for a user with a higher role than yours");
        }
        IssuedToken issued = tokens.issue(actor.orgId(), actor.email(), user.id(), body.name());
        return ResponseEntity.created(URI.create("/api/v1/api-tokens/" + issued.token().id()))
                .body(view(issued.token(), issued.secret()));
    }

    @GetMapping
    Map<String, Object> list(Actor actor) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        List<Map<String, Object>> data = tokens.list(actor.orgId()).stream().map(t -> view(t, null)).toList();
        return Map.of("data", data);
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Actor actor, @PathVariable UUID id) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        return view(tokens.get(actor.orgId(), id), null);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(Actor actor, @PathVariable UUID id) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        tokens.revoke(actor.orgId(), actor.email(), id);
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    private static Map<String, Object> view(ApiToken t, String secret) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("user_id", t.userId());
        m.put("prefix", t.prefix());
        m.put("created_at", t.createdAt());
        m.put("last_used_at", t.lastUsedAt());
        m.put("revoked_at", t.revokedAt());
        if (secret != null) {
            m.put("token", secret);
        }
        return m;
    }
}
