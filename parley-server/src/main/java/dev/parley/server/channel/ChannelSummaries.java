package dev.parley.server.channel;

import java.util.List;
import java.util.UUID;

/** The organization's live channels by name, for pages of other features (e.g. the inbox's channel filter). */
public interface ChannelSummaries {

    record ChannelSummary(UUID id, String name, String displayPhoneNumber, boolean enabled) {
    }

    List<ChannelSummary> list(UUID orgId);
}

@org.springframework.stereotype.Service
class ChannelSummaryQueries implements ChannelSummaries {

    private final Integrations integrations;

    ChannelSummaryQueries(Integrations integrations) {
        this.integrations = integrations;
    }

    @Override
    public List<ChannelSummary> list(UUID orgId) {
        return integrations.list(orgId).stream()
                .map(i -> new ChannelSummary(i.id(), i.name(), i.displayPhoneNumber(), i.enabled())).toList();
    }
}
