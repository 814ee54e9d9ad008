package dev.parley.server.identity;

import dev.parley.server.web.ApiException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The users of each organization. Every lookup takes the organization id, so one tenant never sees
 * another's users; an organization always keeps at least one owner.
 */
@Service
public class Users {

    static final int MIN_PASSWORD_LENGTH = 12;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private static final String COLUMNS = "id, org_id, email, display_name, role, created_at";
    private static final RowMapper<User> ROW = (rs, n) -> new User(
            rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class), rs.getString("email"),
            rs.getString("display_name"), Role.parse(rs.getString("role")).orElseThrow(),
            rs.getObject("created_at", OffsetDateTime.class));

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final ApplicationEventPublisher events;

    Users(JdbcClient jdbc, PasswordEncoder passwords, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.events = events;
    }

    /**
     * Creates a user. {@code rawPassword} may be null (the user then signs in with API tokens only); otherwise
     * it needs at least {@value #MIN_PASSWORD_LENGTH} characters. Answers 409 {@code email_taken} when the email is in use.
     */
    @Transactional
    public User create(UUID orgId, String actor, String email, String displayName, Role role, String rawPassword) {
        String normalized = normalizeEmail(email);
        if (rawPassword != null && rawPassword.length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.badRequest("validation_failed",
                    "password: must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        String name = displayName == null || displayName.isBlank() ? normalized : displayName.strip();
        User user = new User(UUID.randomUUID(), orgId, normalized, name, role, Times.now());
        try {
            jdbc.sql("INSERT INTO users (id, org_id, email, display_name, role, password_hash, created_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(user.id(), orgId, normalized, name, role.wireName(),
                            rawPassword == null ? null : passwords.encode(rawPassword), user.createdAt())
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("email_taken", "a user with this email already exists");
        }
        events.publishEvent(new IdentityEvents.UserCreated(orgId, actor, user.id(), normalized, role));
        return user;
    }

    public Optional<User> find(UUID orgId, UUID userId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE org_id = ? AND id = ?")
                .params(orgId, userId).query(ROW).optional();
    }

    public User get(UUID orgId, UUID userId) {
        return find(orgId, userId).orElseThrow(() -> ApiException.notFound("user"));
    }

    public List<User> list(UUID orgId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE org_id = ? ORDER BY created_at, email")
                .param(orgId).query(ROW).list();
    }

    /** The owners of an organization, e.g. to notify them. */
    public List<User> owners(UUID orgId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE org_id = ? AND role = 'owner' ORDER BY email")
                .param(orgId).query(ROW).list();
    }

    /** Any user by email, across organizations: only for signing in. */
    Optional<User> findByEmail(String email) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE email = ?")
                .param(email == null ? "" : email.strip().toLowerCase(Locale.ROOT)).query(ROW).optional();
    }

    Optional<String> passwordHash(UUID userId) {
        return jdbc.sql("SELECT password_hash FROM users WHERE id = ?").param(userId)
                .query(String.class).optional();
    }

    @Transactional
    public User changeRole(UUID orgId, String actor, UUID userId, Role role) {
        User user = get(orgId, userId);
        if (user.role() == role) {
            return user;
        }
        if (user.role() == Role.OWNER) {
            requireAnotherOwner(orgId, userId, "demote");
        }
        jdbc.sql("UPDATE users SET role = ? WHERE org_id = ? AND id = ?")
                .params(role.wireName(), orgId, userId).update();
        events.publishEvent(new IdentityEvents.UserRoleChanged(orgId, actor, userId, user.email(), user.role(), role));
        return new User(user.id(), orgId, user.email(), user.displayName(), role, user.createdAt());
    }

    @Transactional
    public User rename(UUID orgId, UUID userId, String displayName) {
        User user = get(orgId, userId);
        if (displayName == null || displayName.isBlank()) {
            return user;
        }
        jdbc.sql("UPDATE users SET display_name = ? WHERE org_id = ? AND id = ?")
                .params(displayName.strip(), orgId, userId).update();
        return new User(user.id(), orgId, user.email(), displayName.strip(), user.role(), user.createdAt());
    }

    @Transactional
    public void delete(UUID orgId, String actor, UUID userId) {
        User user = get(orgId, userId);
        if (user.role() == Role.OWNER) {
            requireAnotherOwner(orgId, userId, "delete");
        }
        jdbc.sql("DELETE FROM api_tokens WHERE org_id = ? AND user_id = ?").params(orgId, userId).update();
        jdbc.sql("DELETE FROM users WHERE org_id = ? AND id = ?").params(orgId, userId).update();
        events.publishEvent(new IdentityEvents.UserDeleted(orgId, actor, userId, user.email()));
    }

    /** Locks the organization's owners so two concurrent demotions cannot leave it without one. */
    private void requireAnotherOwner(UUID orgId, UUID userId, String verb) {
        List<UUID> owners = jdbc.sql("SELECT id FROM users WHERE org_id = ? AND role = 'owner' FOR UPDATE")
                .param(orgId).query(UUID.class).list();
        if (owners.stream().noneMatch(id -> !id.equals(userId))) {
            throw ApiException.conflict("last_owner", "cannot " + verb + " the last owner of the organization");
        }
    }

    static String normalizeEmail(String email) {
        String e = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (e.length() > 320 || !EMAIL.matcher(e).matches()) {
            throw ApiException.badRequest("validation_failed", "email: must be an email address");
        }
        return e;
    }
}
