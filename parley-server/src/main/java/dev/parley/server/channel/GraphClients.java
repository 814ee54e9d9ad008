package dev.parley.server.channel;

import dev.parley.cloudapi.graph.GraphClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Builds Graph clients. One {@link HttpClient} (connection pool) is shared by all; a {@link GraphClient} is
 * immutable and cheap, so one is built per use with an integration's current settings.
 */
@Component
class GraphClients {

    private final Duration timeout;
    private final HttpClient http;

    GraphClients(@Value("${parley.channel.graph-timeout:PT20S}") Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    GraphClient client(String baseUrl, String apiVersion, String accessToken) {
        return GraphClient.builder().baseUrl(baseUrl).apiVersion(apiVersion).accessToken(accessToken)
                .httpClient(http).timeout(timeout).build();
    }
}
