package dev.parley.cloudapi.graph;

import tools.jackson.databind.JsonNode;

/**
 * The answer of the OAuth code exchange ({@code GET /oauth/access_token}).
 *
 * @param expiresIn seconds, or null when Meta did not say (business tokens from Embedded Signup usually don't)
 */
public record OAuthToken(String accessToken, String tokenType, Long expiresIn, JsonNode raw) {

    static OAuthToken from(JsonNode n) {
        return new OAuthToken(Nodes.text(n, "access_token"), Nodes.text(n, "token_type"),
                Nodes.longValue(n, "expires_in"), n);
    }
}
