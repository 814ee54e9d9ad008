package dev.parley.server.channel;

/**
 * The body of a create (POST) or partial update (PUT). On update, a field left out (or null) keeps its value;
 * {@code app_secret: ""} removes the app secret.
 */
record IntegrationRequest(String name, String appId, String appSecret, String wabaId, String phoneNumberId,
                          String phoneNumber, String accessToken, String verifyToken, Boolean enabled,
                          String graphBaseUrl, String graphApiVersion) {

    @Override
    public String toString() {
        return "IntegrationRequest[" + name + ", waba " + wabaId + ", phone " + phoneNumberId + "]";
    }
}
