package dev.parley.server;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Each top-level package under dev.parley.server is a feature module: no cycles between them, and no module
 * reaching into another's internals (sub-packages). Fails the build when a boundary is crossed.
 */
class ModularityTests {

    static final ApplicationModules MODULES = ApplicationModules.of(ParleyApplication.class);

    @Test
    void featureModulesKeepTheirBoundaries() {
        MODULES.verify();
    }
}
