package dev.parley.server.identity;

import dev.parley.server.web.ApiException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * API tokens: {@code prl_} followed by 256 random bits in base64url. Only a SHA-256 hash of a token is
 * stored (and its first {@value #VISIBLE_PREFIX} characters, to recognise it in lists); a token acts as its
 * user, with that user's current role, until it is revoked or the user is deleted.
 */
@Service
public class ApiTokens {

    public static final String PREFIX = "prl_";
    static final int VISIBLE_PREFIX = 12;
    /** last_used_at is written at most this often per token, so authenticating stays read-only. */
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, user_id, name, token_prefix, created_at, last_used_at, revoked_at";
    private static final RowMapper<ApiToken> ROW = (rs, n) -> new ApiToken(
            rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("name"),
            rs.getString("token_prefix"), rs.getObject("created_at", OffsetDateTime.class),
            rs.getObject("last_used_at", OffsetDateTime.class), rs.getObject("revoked_at", OffsetDateTime.class));

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    ApiTokens(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** Creates a new random token for a user of the organization. */
    @Transactional
    public IssuedToken issue(UUID orgId, String actor, UUID userId, String name) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return store(orgId, actor, userId, name, PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    /** Stores a token with a value chosen by the operator (PARLEY_BOOTSTRAP_TOKEN). */
    @Transactional
    IssuedToken issueWithValue(UUID orgId, String actor, UUID userId, String name, String value) {
        if (value.length() < 16) {
            throw new IllegalArgumentException("PARLEY_BOOTSTRAP_TOKEN must have at least 16 characters");
        }
        return store(orgId, actor, userId, name, value);
    }

    private IssuedToken store(UUID orgId, String actor, UUID userId, String name, String secret) {
        String cleanName = name == null || name.isBlank() ? "unnamed" : name.strip();
        ApiToken token = new ApiToken(UUID.randomUUID(), userId, cleanName,
                secret.substring(0, Math.min(VISIBLE_PREFIX, secret.length() / 2)), Times.now(), null, null);
        jdbc.sql("INSERT INTO api_tokens (id, org_id, user_id, name, token_hash, token_prefix, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(token.id(), orgId, userId, token.name(), hash(secret), token.prefix(), token.createdAt())
                .update();
        events.publishEvent(new IdentityEvents.ApiTokenCreated(orgId, actor, token.id(), token.name(), userId));
        return new IssuedToken(token, secret);
    }

    public List<ApiToken> list(UUID orgId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_tokens WHERE org_id = ? ORDER BY created_at DESC, id")
                .param(orgId).query(ROW).list();
    }

    public ApiToken get(UUID orgId, UUID tokenId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_tokens WHERE org_id = ? AND id = ?")
                .params(orgId, tokenId).query(ROW).optional()
                .orElseThrow(() -> ApiException.notFound("API token"));
    }

    /** Revokes a token of the organization (again is fine); answers 404 for another organization's token. */
    @Transactional
    public ApiToken revoke(UUID orgId, String actor, UUID tokenId) {
        ApiToken token = get(orgId, tokenId);
        if (token.revokedAt() != null) {
            return token;
        }
        OffsetDateTime now = Times.now();
        jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL")
                .params(now, orgId, tokenId).update();
        events.publishEvent(new IdentityEvents.ApiTokenRevoked(orgId, actor, tokenId, token.name()));
        return new ApiToken(token.id(), token.userId(), token.name(), token.prefix(), token.createdAt(),
                token.lastUsedAt(), now);
    }

    /** The actor a presented token stands for, when it is known and not revoked. */
    public Optional<Actor> authenticate(String presented) {
        if (presented == null || presented.isBlank() || presented.length() > 512) {
            return Optional.empty();
        }
        record Row(Actor actor, OffsetDateTime lastUsedAt) {
        }
        Optional<Row> row = jdbc.sql("SELECT t.id, t.org_id, t.user_id, t.last_used_at, u.email, u.role "
                        + "FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.org_id = t.org_id "
                        + "WHERE t.token_hash = ? AND t.revoked_at IS NULL")
                .param(hash(presented))
                .query((rs, n) -> new Row(new Actor(rs.getObject("org_id", UUID.class),
                        rs.getObject("user_id", UUID.class), Role.parse(rs.getString("role")).orElseThrow(),
                        rs.getString("email"), rs.getObject("id", UUID.class)),
                        rs.getObject("last_used_at", OffsetDateTime.class)))
                .optional();
        row.ifPresent(r -> {
            OffsetDateTime now = Times.now();
            if (r.lastUsedAt() == null || r.lastUsedAt().isBefore(now.minus(LAST_USED_RESOLUTION))) {
                jdbc.sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").params(now, r.actor().tokenId()).update();
            }
        });
        return row.map(Row::actor);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
