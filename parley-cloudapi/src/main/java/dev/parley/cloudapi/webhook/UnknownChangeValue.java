package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/**
 * The value of a change whose {@code field} this library does not model (e.g. {@code security},
 * {@code history}, or a field Meta adds later), or whose value is not a JSON object. Kept verbatim.
 *
 * @param field the change's {@code field}, or {@code null} if absent
 * @param raw   the {@code value} as received (a missing node if absent)
 */
public record UnknownChangeValue(String field, JsonNode raw) implements ChangeValue {

    public UnknownChangeValue {
        raw = Json.raw(raw);
    }
}
