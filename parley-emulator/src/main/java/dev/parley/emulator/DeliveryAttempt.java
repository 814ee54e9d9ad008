package dev.parley.emulator;

import java.time.Instant;

/**
 * One webhook POST attempt, or one verification handshake GET.
 *
 * @param deliveryId  the same for every attempt of one batch (0 for verification handshakes)
 * @param method      "POST" for a delivery, "GET" for a verification handshake
 * @param at          when the attempt started
 * @param url         callback URL
 * @param body        the exact bytes sent, as UTF-8 text (ASCII only, Meta-escaped)
 * @param signature   the X-Hub-Signature-256 header value
 * @param statusCode  HTTP status answered, or -1 when there was no answer
 * @param error       exception text when there was no answer (timeout, refused, reset), else null
 * @param attempt     1 for the first try, 2 for the immediate retry, ...
 * @param succeeded   true when the callback answered 200 (and, for a handshake, echoed the challenge)
 * @param dropped     true when this failed attempt was the last: the update is dropped (7 days × time scale)
 */
public record DeliveryAttempt(long deliveryId, String method, Instant at, String url, String body, String signature, int statusCode,
                              String error, int attempt, boolean succeeded,
                              boolean dropped) {
}
