package dev.parley.server.webhook;

import dev.parley.server.channel.IntegrationChanged;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/** After an integration is created or changed (and committed), deliveries waiting for its numbers are re-routed. */
@Component
class IntegrationChangeListener {

    private final WebhookWorker worker;

    IntegrationChangeListener(WebhookWorker worker) {
        this.worker = worker;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(IntegrationChanged event) {
        worker.integrationChanged(event);
    }
}
