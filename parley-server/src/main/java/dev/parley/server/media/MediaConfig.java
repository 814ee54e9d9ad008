package dev.parley.server.media;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;

/** Wires the media feature from {@code parley.media.*} properties. */
@Configuration(proxyBeanMethods = false)
class MediaConfig {

    @Bean
    MediaSettings mediaSettings(@Value("${parley.data-dir}") Path dataDir,
                                @Value("${parley.media.poll-interval:PT5S}") Duration pollInterval,
                                @Value("${parley.media.retry-backoff:PT30S}") Duration retryBackoff,
                                @Value("${parley.media.max-attempts:10}") int maxAttempts,
                                @Value("${parley.media.lease:PT5M}") Duration lease,
                                @Value("${parley.media.max-inbound-size:100MB}") DataSize maxBytes) {
        return new MediaSettings(dataDir.resolve("media"), pollInterval, retryBackoff, maxAttempts, lease,
                maxBytes.toBytes());
    }
}
