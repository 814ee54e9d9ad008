package dev.parley.server.web;

import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/**
 * Formatting helpers for the templates, used as {@code ${@ui.ago(t)}}. Times are shown in UTC with a relative
 * form ("5 min ago"); the exact ISO time goes into the element's title.
 */
@Component("ui")
public class Ui {

    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    public static Instant instant(Object t) {
        if (t == null) {
            return null;
        }
        if (t instanceof Instant i) {
            return i;
        }
        if (t instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (t instanceof TemporalAccessor a) {
            return Instant.from(a);
        }
        if (t instanceof CharSequence s && !s.isEmpty()) {
            return Instant.parse(s);
        }
        return null;
    }

    /** {@code 2026-03-01 10:15 UTC}, or an empty string. */
    public String time(Object t) {
        Instant i = instant(t);
        return i == null ? "" : SHORT.format(i) + " UTC";
    }

    /** ISO-8601, for title attributes. */
    public String iso(Object t) {
        Instant i = instant(t);
        return i == null ? "" : i.toString();
    }

    /** "just now", "5 min ago", "3 h ago", "2 d ago"; "never" when null. */
    public String ago(Object t) {
        Instant i = instant(t);
        if (i == null) {
            return "never";
        }
        long s = Duration.between(i, Instant.now()).getSeconds();
        if (s < 45) {
            return "just now";
        }
        if (s < 3600) {
            return Math.max(1, s / 60) + " min ago";
        }
        if (s < 86400) {
            return s / 3600 + " h ago";
        }
        return s / 86400 + " d ago";
    }

    /** What is left of a 24-hour window: "23 h 5 min left", or null when it is closed (or was never opened). */
    public String remaining(Object expires) {
        Instant i = instant(expires);
        if (i == null) {
            return null;
        }
        long s = Duration.between(Instant.now(), i).getSeconds();
        if (s <= 0) {
            return null;
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        return h > 0 ? h + " h " + m + " min left" : Math.max(1, m) + " min left";
    }

    public boolean open(Object expires) {
        return remaining(expires) != null;
    }
}
