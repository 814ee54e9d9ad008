package dev.parley.server.health;

import dev.parley.server.support.OnPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@OnPostgres
class HealthPostgresTest extends HealthContract {

    @Test
    void reallyRunsOnPostgres() {
        assertThat(jdbc.sql("SELECT version()").query(String.class).single()).startsWith("PostgreSQL");
    }
}
