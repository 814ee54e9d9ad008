package dev.parley.emulator;

/** What {@link CloudApiEmulator#seed(Seed)} created, with the ids and secrets a client needs to talk to it. */
public record SeededBusiness(String appId, String appSecret, String accessToken, String wabaId, String phoneNumberId,
                             String displayPhoneNumber, String verifiedName, String helloWorldTemplateId) {
}
