package dev.parley.server.channel;

import dev.parley.server.secret.EncryptedColumn;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The channel feature's encrypted columns, registered so that a credential key rotation re-encrypts them. */
@Configuration(proxyBeanMethods = false)
class ChannelConfig {

    @Bean
    EncryptedColumn integrationAppSecretColumn() {
        return new EncryptedColumn(Integration.TABLE, "id", "app_secret_enc", Integration.APP_SECRET);
    }

    @Bean
    EncryptedColumn integrationAccessTokenColumn() {
        return new EncryptedColumn(Integration.TABLE, "id", "access_token_enc", Integration.ACCESS_TOKEN);
    }

    @Bean
    EncryptedColumn integrationVerifyTokenColumn() {
        return new EncryptedColumn(Integration.TABLE, "id", "verify_token_enc", Integration.VERIFY_TOKEN);
    }
}
