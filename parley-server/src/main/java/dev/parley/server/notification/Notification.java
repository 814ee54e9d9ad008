package dev.parley.server.notification;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An in-app notification for one user ({@code userId}) or for all owners of the organization ({@code userId}
 * null). {@code count} says how many times it happened while unread within the coalescing window.
 */
public record Notification(long id, UUID orgId, UUID userId, String kind, String title, String body, int count,
                           OffsetDateTime createdAt, OffsetDateTime lastAt, OffsetDateTime readAt) {
}
