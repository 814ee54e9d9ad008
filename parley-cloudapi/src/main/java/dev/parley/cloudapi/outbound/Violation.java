package dev.parley.cloudapi.outbound;

/**
 * One rule of Meta's send API that a message breaks.
 *
 * @param path    where, in Meta's JSON, e.g. {@code interactive.action.buttons[3]}
 * @param rule    a stable identifier of the rule, e.g. {@code interactive.buttons.max}
 * @param message a sentence naming the rule and the limit, e.g. "interactive button messages allow at most 3
 *                reply buttons, got 4"
 */
public record Violation(String path, String rule, String message) {

    @Override
    public String toString() {
        return path + ": " + message + " [" + rule + "]";
    }
}
