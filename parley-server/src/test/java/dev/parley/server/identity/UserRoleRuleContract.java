package dev.parley.server.identity;

import dev.parley.server.support.ApiTestBase;
import dev.parley.server.support.DatabaseOutage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The users table's role rule keeps working after the database closed every session: on H2 2.4, "role IN (...)" is
 * compiled into a set tied to a session, and once that session was closed every new user was refused with "Check
 * constraint invalid" until a restart (every test after an outage test failed so).
 */
abstract class UserRoleRuleContract extends ApiTestBase {

    @Autowired
    DataSource dataSource;

    @Test
    void usersAreCreatedAfterEverySessionWasClosedAndUnknownRolesAreStillRefused() throws Exception {
        newOrg(); // a user created before
        // every session of the database closed (as by a restart of PostgreSQL, or H2's exclusive mode)
        DatabaseOutage.begin(dataSource).close();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        TestOrg org = await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(
                e -> e instanceof org.springframework.dao.DataAccessResourceFailureException)
                .until(this::newOrg, o -> true);
        assertThat(get("/api/v1/api-tokens", org.ownerToken()).status()).isEqualTo(200);

        assertThatThrownBy(() -> jdbc.sql("INSERT INTO users (id, org_id, email, display_name, role, password_hash,"
                        + " created_at) VALUES (?, ?, ?, 'X', 'boss', NULL, ?)")
                .params(UUID.randomUUID(), org.org().id(), "boss-" + UUID.randomUUID() + "@example.com",
                        OffsetDateTime.now()).update())
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("users_role_known");
    }
}
