package dev.parley.emulator;

import java.util.Objects;

/**
 * One business to create in the emulator: a Meta app, a WABA with one phone number, an access token with every
 * scope, and the approved template {@code hello_world}. With a webhook URL the app is subscribed to it.
 */
public record Seed(String appId, String appSecret, String accessToken, String wabaId, String phoneNumberId,
                   String displayPhoneNumber, String verifiedName, String webhookUrl, String verifyToken) {

    public Seed {
        requireText(appId, "appId");
        requireText(appSecret, "appSecret");
        requireText(accessToken, "accessToken");
        requireText(wabaId, "wabaId");
        requireText(phoneNumberId, "phoneNumberId");
        requireText(displayPhoneNumber, "displayPhoneNumber");
        requireText(verifiedName, "verifiedName");
        if ((webhookUrl == null) != (verifyToken == null)) {
            throw new IllegalArgumentException("webhookUrl and verifyToken go together: give both or neither");
        }
        if (webhookUrl != null && !(webhookUrl.startsWith("http://") || webhookUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("webhookUrl must be an http(s) URL, was " + webhookUrl);
        }
    }

    private static void requireText(String v, String name) {
        if (v == null || v.isBlank()) throw new IllegalArgumentException(name + " is required");
    }

    /** A builder pre-filled with the defaults the CLI uses. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default business: app 100000000000001, WABA 100000000000002, number 100000000000003 (+1 555 000 0001). */
    public static Seed defaults() {
        return builder().build();
    }

    /** Mutable builder with working defaults. */
    public static final class Builder {
        private String appId = "100000000000001";
        private String appSecret = "emulator-app-secret";
        private String accessToken = "EAAG-emulator-access-token";
        private String wabaId = "100000000000002";
        private String phoneNumberId = "100000000000003";
        private String displayPhoneNumber = "15550000001";
        private String verifiedName = "Parley Sandbox";
        private String webhookUrl;
        private String verifyToken;

        private Builder() {}

        public Builder appId(String v) { appId = v; return this; }
        public Builder appSecret(String v) { appSecret = v; return this; }
        public Builder accessToken(String v) { accessToken = v; return this; }
        public Builder wabaId(String v) { wabaId = v; return this; }
        public Builder phoneNumberId(String v) { phoneNumberId = v; return this; }
        public Builder displayPhoneNumber(String v) { displayPhoneNumber = v; return this; }
        public Builder verifiedName(String v) { verifiedName = v; return this; }
        public Builder webhook(String url, String token) { webhookUrl = url; verifyToken = token; return this; }
        public Builder webhookUrl(String v) { webhookUrl = v; return this; }
        public Builder verifyToken(String v) { verifyToken = v; return this; }

        public Seed build() {
            return new Seed(appId, appSecret, accessToken, wabaId, phoneNumberId, displayPhoneNumber, verifiedName,
                    webhookUrl, verifyToken);
        }
    }

    @Override
    public String toString() {
        return "Seed[appId=" + appId + ", wabaId=" + wabaId + ", phoneNumberId=" + phoneNumberId
                + ", displayPhoneNumber=" + displayPhoneNumber + ", webhookUrl=" + Objects.toString(webhookUrl, "-") + "]";
    }
}
