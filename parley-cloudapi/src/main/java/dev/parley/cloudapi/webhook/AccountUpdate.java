package dev.parley.cloudapi.webhook;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The value of an {@code account_update} change: verification, restrictions, bans, policy violations.
 * Meta has many event variants; the ones without a typed part are still complete in {@link #raw()}.
 *
 * @param event           {@code event} as received, e.g. {@code "ACCOUNT_RESTRICTION"}
 * @param phoneNumber     {@code phone_number}, or {@code null}
 * @param restrictionInfo {@code restriction_info[]}, possibly empty
 * @param banInfo         {@code ban_info}, or {@code null}
 * @param violationInfo   {@code violation_info}, or {@code null}
 */
public record AccountUpdate(String event, String phoneNumber, List<Restriction> restrictionInfo, BanInfo banInfo,
                            ViolationInfo violationInfo, JsonNode raw) implements ChangeValue {

    public AccountUpdate {
        restrictionInfo = Json.copy(restrictionInfo);
        raw = Json.raw(raw);
    }

    @Override
    public String field() {
        return "account_update";
    }

    static AccountUpdate from(JsonNode node) {
        JsonNode ban = Json.object(node, "ban_info");
        JsonNode violation = Json.object(node, "violation_info");
        return new AccountUpdate(Json.text(node, "event"), Json.text(node, "phone_number"),
                Json.list(node, "restriction_info", r -> new Restriction(Json.text(r, "restriction_type"),
                        Json.text(r, "expiration"), r)),
                ban == null ? null : new BanInfo(Json.text(ban, "waba_ban_state"), Json.text(ban, "waba_ban_date"),
                        ban),
                violation == null ? null : new ViolationInfo(Json.text(violation, "violation_type"), violation),
                node);
    }

    /** {@code restriction_info[]{restriction_type, expiration}}; expiration kept as received. */
    public record Restriction(String restrictionType, String expiration, JsonNode raw) {
        public Restriction {
            raw = Json.raw(raw);
        }
    }

    /** {@code ban_info{waba_ban_state, waba_ban_date}}. */
    public record BanInfo(String wabaBanState, String wabaBanDate, JsonNode raw) {
        public BanInfo {
            raw = Json.raw(raw);
        }
    }

    /** {@code violation_info{violation_type}}. */
    public record ViolationInfo(String violationType, JsonNode raw) {
        public ViolationInfo {
            raw = Json.raw(raw);
        }
    }
}
