package dev.parley.server.notification;

import dev.parley.server.identity.Actor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/notifications}: the caller's in-app notifications, newest first, with the unread count. */
@RestController
@RequestMapping("/api/v1/notifications")
class NotificationController {

    private final Notifications notifications;

    NotificationController(Notifications notifications) {
        this.notifications = notifications;
    }

    @GetMapping
    Map<String, Object> list(Actor actor, @RequestParam(defaultValue = "50") int limit,
                             @RequestParam(required = false) Long before,
                             @RequestParam(defaultValue = "false") boolean unread) {
        List<Notification> page = notifications.list(actor, limit, before, unread);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", page.stream().map(NotificationController::view).toList());
        body.put("unread_count", notifications.unreadCount(actor));
        body.put("next_before", page.size() == limit ? page.get(page.size() - 1).id() : null);
        return body;
    }

    @PostMapping("/{id}/read")
    Map<String, Object> read(Actor actor, @PathVariable long id) {
        return view(notifications.markRead(actor, id));
    }

    private static Map<String, Object> view(Notification n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("kind", n.kind());
        m.put("title", n.title());
        m.put("body", n.body());
        m.put("count", n.count());
        m.put("for", n.userId() == null ? "owners" : "user");
        m.put("created_at", n.createdAt());
        m.put("last_at", n.lastAt());
        m.put("read_at", n.readAt());
        return m;
    }
}
