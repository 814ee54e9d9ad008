package dev.parley.server.audit;

import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import dev.parley.server.web.UiController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;

/** The organization's audit log, newest first (owners and admins). */
@UiController
class AuditPages {

    private final AuditLog audit;

    AuditPages(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/app/audit")
    String list(Actor actor, @RequestParam(required = false) String action, @RequestParam(required = false) Long before,
                Model model) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        String a = action == null || action.isBlank() ? null : action.strip();
        List<AuditEvent> page = audit.list(actor.orgId(), 100, before, a);
        model.addAttribute("events", page);
        model.addAttribute("action", a);
        model.addAttribute("nextBefore", page.size() == 100 ? page.get(page.size() - 1).id() : null);
        return "audit/list";
    }
}
