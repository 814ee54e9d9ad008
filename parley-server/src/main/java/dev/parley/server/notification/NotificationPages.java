package dev.parley.server.notification;

import dev.parley.server.identity.Actor;
import dev.parley.server.web.UiController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** The caller's notifications, the unread badge of the top bar, and "mark read". */
@UiController
class NotificationPages {

    private final Notifications notifications;

    NotificationPages(Notifications notifications) {
        this.notifications = notifications;
    }

    @GetMapping("/app/notifications")
    String list(Actor actor, Model model) {
        model.addAttribute("notifications", notifications.list(actor, 100, null, false));
        return "notifications/list";
    }

    /** htmx: the unread count in the top bar. */
    @GetMapping("/app/notifications/badge")
    String badge(Actor actor, Model model) {
        model.addAttribute("unread", notifications.unreadCount(actor));
        return "notifications/list :: badge";
    }

    @PostMapping("/app/notifications/{id}/read")
    String read(Actor actor, @PathVariable long id) {
        notifications.markRead(actor, id);
        return "redirect:/app/notifications";
    }
}
