package dev.parley.cloudapi.graph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * {@code GET /debug_token}: what a token is and what it may do.
 *
 * @param expiresAt     null when the token never expires ({@code expires_at: 0})
 * @param granularScopes per scope, the object ids it applies to; the {@code whatsapp_business_management}
 *                       target ids are the WABAs shared with the app (see {@link #targetIds(String)})
 */
public record TokenInfo(boolean valid, String appId, String type, String application, Instant expiresAt,
                        Instant dataAccessExpiresAt, List<String> scopes, List<GranularScope> granularScopes,
                        String userId, JsonNode raw) {

    /** One {@code granular_scopes[]} entry. */
    public record GranularScope(String scope, List<String> targetIds) {
        public GranularScope {
            targetIds = List.copyOf(targetIds);
        }
    }

    public TokenInfo {
        scopes = List.copyOf(scopes);
        granularScopes = List.copyOf(granularScopes);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** The target ids of a scope (e.g. WABA ids for {@code whatsapp_business_management}); empty when none. */
    public List<String> targetIds(String scope) {
        return granularScopes.stream().filter(g -> g.scope().equals(scope)).findFirst()
                .map(GranularScope::targetIds).orElse(List.of());
    }

    static TokenInfo from(JsonNode root) {
        JsonNode d = root.get("data");
        List<GranularScope> gs = new ArrayList<>();
        for (JsonNode g : Nodes.array(d, "granular_scopes")) {
            String scope = Nodes.text(g, "scope");
            if (scope != null) gs.add(new GranularScope(scope, Nodes.strings(g, "target_ids")));
        }
        return new TokenInfo(Boolean.TRUE.equals(Nodes.bool(d, "is_valid")), Nodes.text(d, "app_id"),
                Nodes.text(d, "type"), Nodes.text(d, "application"), epoch(Nodes.longValue(d, "expires_at")),
                epoch(Nodes.longValue(d, "data_access_expires_at")), Nodes.strings(d, "scopes"), gs,
                Nodes.text(d, "user_id"), root);
    }

    private static Instant epoch(Long seconds) {
        return seconds == null || seconds == 0 ? null : Instant.ofEpochSecond(seconds);
    }
}
