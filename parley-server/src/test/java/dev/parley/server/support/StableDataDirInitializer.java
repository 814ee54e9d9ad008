package dev.parley.server.support;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * The test profile's data dir contains {@code ${random.uuid}}, which Spring resolves anew on every lookup;
 * this pins the first resolution so every bean of one context sees the same directory.
 * Registered for all test applications in META-INF/spring.factories.
 */
public class StableDataDirInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String dir = context.getEnvironment().getProperty("parley.data-dir");
        if (dir != null) {
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("stableDataDir", Map.of("parley.data-dir", dir)));
        }
    }
}
