package dev.parley.server.webhook;

import dev.parley.server.audit.AuditLog;
import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationSignals;
import dev.parley.server.jobs.AckPriority;
import dev.parley.server.messaging.InboundItems;
import dev.parley.server.template.TemplateUpdates;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Wires the webhook feature from {@code parley.webhook.*} properties (defaults in {@link WebhookSettings}). */
@Configuration(proxyBeanMethods = false)
class WebhookConfig {

    @Bean
    WebhookSettings webhookSettings(@Value("${parley.webhook.max-body-bytes:3MB}") DataSize maxBody,
                                    @Value("${parley.webhook.ack-timeout:PT10S}") Duration ackTimeout,
                                    @Value("${parley.webhook.writer-queue:20000}") int writerQueue,
                                    @Value("${parley.webhook.writer-batch:500}") int writerBatch,
                                    @Value("${parley.webhook.retention:PT24H}") Duration retention,
                                    @Value("${parley.webhook.unrouted-retention:P7D}") Duration unroutedRetention,
                                    @Value("${parley.webhook.refused-burst:30}") long refusedBurst,
                                    @Value("${parley.webhook.refused-refill:PT1M}") Duration refusedRefill,
                                    @Value("${parley.webhook.processor-batch:200}") int processorBatch,
                                    @Value("${parley.webhook.lease:PT60S}") Duration lease,
                                    @Value("${parley.webhook.poll-interval:PT1S}") Duration pollInterval,
                                    @Value("${parley.webhook.max-attempts:10}") int maxAttempts) {
        return new WebhookSettings(maxBody.toBytes(), ackTimeout, writerQueue, writerBatch, retention,
                unroutedRetention, refusedBurst, refusedRefill, processorBatch, lease, pollInterval, maxAttempts);
    }

    @Bean
    WakeSignal webhookWakeSignal() {
        return new WakeSignal();
    }

    @Bean(destroyMethod = "close")
    DeliveryWriter deliveryWriter(DataSource dataSource, WebhookSettings settings, WakeSignal wake,
                                  AckPriority priority, ObjectProvider<MeterRegistry> meters) {
        DeliveryWriter writer = new DeliveryWriter(dataSource, settings, wake::wake, priority::pressure);
        Gauge.builder("parley.webhooks.writer.queue", writer, DeliveryWriter::queued)
                .description("deliveries waiting to be committed").register(meters.getIfAvailable(SimpleMeterRegistry::new));
        return writer;
    }

    /** {@code webhookStore} in {@code /actuator/health}: DOWN while webhook deliveries cannot be committed. */
    @Bean
    WebhookStoreHealth webhookStoreHealthIndicator(DeliveryWriter writer,
                                                   @Value("${parley.webhook.health-fresh:PT2S}") Duration fresh,
                                                   @Value("${parley.webhook.health-probe-every:PT1S}") Duration every,
                                                   @Value("${parley.webhook.health-probe-timeout:PT2S}") Duration timeout) {
        return new WebhookStoreHealth(writer, fresh, every, timeout);
    }

    /**
     * Meta's webhook GET/POST served ahead of every filter (Spring Security, observations) and MVC; see
     * {@link WebhookFastPath}.
     * {@code parley.webhook.fast-path=false} sends them through the normal chain instead.
     */
    @Bean
    FilterRegistrationBean<WebhookFastPath> webhookFastPath(WebhookController controller,
                                                            @Value("${parley.webhook.fast-path:true}") boolean on) {
        // the same controller bean MVC uses (a plain class, no proxy): one bound on bodies in flight for both paths
        FilterRegistrationBean<WebhookFastPath> r = new FilterRegistrationBean<>(new WebhookFastPath(controller));
        r.addUrlPatterns(WebhookFastPath.GLOBAL, WebhookFastPath.GLOBAL + "/*");
        // ahead of every other filter, including the HTTP observation filter (Integer.MIN_VALUE + 1), whose per-request
        // observation cost more CPU than the webhook code; the webhook's own meters (parley.webhooks.*) stay
        r.setOrder(Ordered.HIGHEST_PRECEDENCE);
        r.setEnabled(on);
        return r;
    }

    @Bean
    DeliveryStore deliveryStore(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
        return new DeliveryStore(jdbc, named);
    }

    @Bean
    WebhookIngest webhookIngest(IntegrationDirectory directory, IntegrationSignals signals, DeliveryWriter writer,
                                WebhookSettings settings, ObjectProvider<MeterRegistry> meters) {
        return new WebhookIngest(directory, signals, writer, new RefusalLimiter(settings), settings,
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    DeliveryProcessor deliveryProcessor(DeliveryStore store, TransactionTemplate tx, IntegrationDirectory directory,
                                        IntegrationSignals signals, InboundItems inbound, TemplateUpdates templates,
                                        AuditLog audit, WebhookSettings settings,
                                        ObjectProvider<MeterRegistry> meters) {
        DeliveryProcessor.AuditSink sink = new DeliveryProcessor.AuditSink() {
            @Override
            public void received(UUID org, String subject, Map<String, Object> details) {
                audit.record(org, AuditLog.SYSTEM, DeliveryProcessor.AUDIT_ACTION, subject, details);
            }

            @Override
            public void receivedAll(List<DeliveryProcessor.Received> all) {
                audit.recordAll(all.stream().map(r -> new AuditLog.Entry(r.orgId(), AuditLog.SYSTEM,
                        DeliveryProcessor.AUDIT_ACTION, r.subject(), r.details())).toList());
            }
        };
        DeliveryProcessor processor = new DeliveryProcessor(store, tx, directory, signals, inbound, templates, sink,
                settings);
        FunctionCounter.builder("parley.webhooks.processed", processor, DeliveryProcessor::processedCount)
                .description("stored deliveries processed (or given up) by the background processor")
                .register(meters.getIfAvailable(SimpleMeterRegistry::new));
        return processor;
    }

    @Bean
    WebhookWorker webhookWorker(DeliveryProcessor processor, DeliveryStore store, IntegrationDirectory directory,
                                WebhookSettings settings, WakeSignal wake,
                                @Value("${parley.webhook.unrouted-sweep-interval:PT30S}") Duration sweep,
                                @Value("${parley.webhook.retention-interval:PT10M}") Duration retentionInterval,
                                @Value("${parley.webhook.processor-linger:PT0.1S}") Duration linger,
                                AckPriority priority) {
        return new WebhookWorker(processor, store, directory, settings, wake, sweep, retentionInterval, linger,
                priority);
    }
}
