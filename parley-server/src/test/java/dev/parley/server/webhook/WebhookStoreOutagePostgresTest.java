package dev.parley.server.webhook;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class WebhookStoreOutagePostgresTest extends WebhookStoreOutageContract {

    @Override
    String refuseWritesSql() {
        // NOT VALID: existing rows are not checked; every inserted or updated row is refused
        return "ALTER TABLE webhook_deliveries ADD CONSTRAINT test_refuse_writes CHECK (FALSE) NOT VALID";
    }
}
