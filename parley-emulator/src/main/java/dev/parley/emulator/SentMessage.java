package dev.parley.emulator;

import java.time.Instant;

/**
 * One message the Graph API accepted, as {@link CloudApiEmulator#sent(String)} reports it.
 *
 * @param wamid         the id returned to the sender
 * @param phoneNumberId the business number it was sent from
 * @param to            the recipient's wa_id (digits only)
 * @param type          the message type ({@code text}, {@code template}, ...)
 * @param requestBody   the JSON request body exactly as the client sent it
 * @param status        current status: {@code accepted}, {@code sent}, {@code delivered}, {@code read} or {@code failed}
 * @param errorCode     the error code of a failed message, else null
 * @param acceptedAt    when the Graph API accepted it
 */
public record SentMessage(String wamid, String phoneNumberId, String to, String type, String requestBody,
                          String status, Integer errorCode, Instant acceptedAt) {
}
