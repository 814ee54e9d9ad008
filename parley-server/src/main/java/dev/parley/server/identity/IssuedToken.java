package dev.parley.server.identity;

/** A freshly created API token with its secret value, which is shown this once and never stored. */
public record IssuedToken(ApiToken token, String secret) {

    @Override
    public String toString() {
        return "IssuedToken[" + token.id() + "]";
    }
}
