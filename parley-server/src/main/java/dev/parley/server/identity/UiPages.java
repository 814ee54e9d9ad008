package dev.parley.server.identity;

import dev.parley.server.web.UiController;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The sign-in page, the start page, and the signed-in user ({@code me}) on every UI page. */
@UiController
class UiPages {

    @GetMapping("/login")
    String login() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof Actor) {
            return "redirect:/app/inbox";
        }
        return "login";
    }

    @GetMapping({"/", "/app"})
    String home() {
        return "redirect:/app/inbox";
    }

    @ControllerAdvice(annotations = UiController.class)
    static class Me {
        @ModelAttribute("me")
        Actor me() {
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            return auth != null && auth.getPrincipal() instanceof Actor a ? a : null;
        }
    }
}
