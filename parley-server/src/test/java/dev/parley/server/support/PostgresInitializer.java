package dev.parley.server.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points a Spring test context at a fresh database on the embedded PostgreSQL, as PARLEY_DB_URL would. */
public class PostgresInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                "PARLEY_DB_URL=" + EmbeddedPostgresServer.newDatabase(),
                "PARLEY_DB_USER=postgres",
                "PARLEY_DB_PASSWORD=postgres"
        ).applyTo(context.getEnvironment());
    }
}
