package dev.parley.server.audit;

import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/audit-events}: owners and admins read their organization's audit trail, newest first,
 * a page at a time ({@code limit}, then {@code before=<next_before>}), optionally one {@code action} only.
 */
@RestController
@RequestMapping("/api/v1/audit-events")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping
    Map<String, Object> list(Actor actor, @RequestParam(defaultValue = "50") int limit,
                             @RequestParam(required = false) Long before,
                             @RequestParam(required = false) String action) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        List<AuditEvent> page = audit.list(actor.orgId(), limit, before, action);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", page.stream().map(AuditController::view).toList());
        body.put("next_before", page.size() == limit ? page.get(page.size() - 1).id() : null);
        return body;
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Actor actor, @PathVariable long id) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        return view(audit.get(actor.orgId(), id));
    }

    private static Map<String, Object> view(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", e.at());
        m.put("actor", e.actor());
        m.put("action", e.action());
        m.put("subject", e.subject());
        m.put("details", e.details());
        return m;
    }
}
