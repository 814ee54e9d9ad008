package dev.parley.server.webhook;

class WebhookStoreOutageH2Test extends WebhookStoreOutageContract {

    @Override
    String refuseWritesSql() {
        // NOCHECK: existing rows are not checked; every inserted or updated row is refused
        return "ALTER TABLE webhook_deliveries ADD CONSTRAINT test_refuse_writes CHECK (FALSE) NOCHECK";
    }
}
