package dev.parley.server.secret;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The secret feature's own encrypted column: the fingerprint HMAC key. */
@Configuration(proxyBeanMethods = false)
class SecretConfig {

    @Bean
    EncryptedColumn fingerprintKeyColumn() {
        return new EncryptedColumn(Fingerprints.TABLE, "name", "encrypted_value", Fingerprints.FIELD);
    }
}
