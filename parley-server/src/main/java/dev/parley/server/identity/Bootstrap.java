package dev.parley.server.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * On the first start of an empty database: organization "Default", its first owner
 * ({@code PARLEY_BOOTSTRAP_EMAIL}, {@code PARLEY_BOOTSTRAP_PASSWORD} or a random password printed once) and,
 * when {@code PARLEY_BOOTSTRAP_TOKEN} is set, an API token with exactly that value. A marker row with a fixed
 * primary key makes this happen once, even when several nodes start together; later starts do nothing.
 */
@Component
class Bootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Organizations organizations;
    private final Users users;
    private final ApiTokens tokens;
    private final ApplicationEventPublisher events;
    private final String email;
    private final String password;
    private final String token;

    Bootstrap(JdbcClient jdbc, TransactionTemplate tx, Organizations organizations, Users users, ApiTokens tokens,
              ApplicationEventPublisher events,
              @Value("${parley.bootstrap.email:admin@localhost}") String email,
              @Value("${parley.bootstrap.password:}") String password,
              @Value("${parley.bootstrap.token:}") String token) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.organizations = organizations;
        this.users = users;
        this.tokens = tokens;
        this.events = events;
        this.email = email;
        this.password = password;
        this.token = token;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (jdbc.sql("SELECT COUNT(*) FROM identity_bootstrap").query(Integer.class).single() > 0) {
            return;
        }
        boolean generated = password == null || password.isBlank();
        String pw = generated ? randomPassword() : password;
        try {
            tx.executeWithoutResult(status -> {
                Organization org = organizations.create("Default");
                jdbc.sql("INSERT INTO identity_bootstrap (id, org_id, done_at) VALUES (1, ?, ?)")
                        .params(org.id(), Times.now()).update();
                User owner = users.create(org.id(), "system", email, "Owner", Role.OWNER, pw);
                boolean withToken = token != null && !token.isBlank();
                if (withToken) {
                    tokens.issueWithValue(org.id(), "system", owner.id(), "bootstrap", token.strip());
                }
                events.publishEvent(new IdentityEvents.OrganizationBootstrapped(org.id(), owner.email(), withToken));
            });
        } catch (DataIntegrityViolationException e) {
            log.info("Another node bootstrapped this database; nothing to do");
            return;
        }
        if (generated) {
            String line = "=".repeat(72);
            log.warn("\n{}\nFirst start: created the owner account {}\nGenerated password (shown only this once): {}"
                            + "\nSet PARLEY_BOOTSTRAP_PASSWORD to choose it yourself.\n{}",
                    line, email, pw, line);
        } else {
            log.info("First start: created the owner account {} with the password from PARLEY_BOOTSTRAP_PASSWORD", email);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
