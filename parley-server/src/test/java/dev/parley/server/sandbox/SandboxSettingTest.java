package dev.parley.server.sandbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxSettingTest {

    @Test
    void onByDefaultOnTheEmbeddedDatabaseOffOnPostgres() {
        assertThat(Sandbox.resolveEnabled("", "jdbc:h2:file:./data/parley")).isTrue();
        assertThat(Sandbox.resolveEnabled(null, "jdbc:postgresql://db/parley")).isFalse();
    }

    @Test
    void theSettingWinsWhenGiven() {
        assertThat(Sandbox.resolveEnabled("false", "jdbc:h2:file:./data/parley")).isFalse();
        assertThat(Sandbox.resolveEnabled(" TRUE ", "jdbc:postgresql://db/parley")).isTrue();
        assertThatThrownBy(() -> Sandbox.resolveEnabled("yes please", "jdbc:h2:mem:x"))
                .hasMessageContaining("PARLEY_SANDBOX");
    }
}
