package dev.parley.server.web;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Controller;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller of the web UI (server-rendered pages under {@code /app}). Such controllers get the shared
 * page model (the signed-in user) and HTML error pages instead of the API's JSON errors.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Controller
public @interface UiController {

    @AliasFor(annotation = Controller.class)
    String value() default "";
}
