package dev.parley.server.template;

import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * For other features' tests: stores an integration's templates as a sync would (through the template feature's
 * own store), from Meta's list shape {@code [{name, language, status, category, components}]}.
 */
public final class TemplateFixtures {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TemplateFixtures() {
    }

    public static void replaceAll(ApplicationContext context, UUID orgId, UUID integrationId, String templatesJson) {
        List<TemplateStore.Synced> list = new ArrayList<>();
        for (JsonNode t : JSON.readTree(templatesJson)) {
            list.add(new TemplateStore.Synced(null, t.path("name").asString(), t.path("language").asString(),
                    t.path("category").asString("UTILITY"), t.path("status").asString("APPROVED"),
                    t.path("parameter_format").asString("POSITIONAL"), t.get("components")));
        }
        context.getBean(TemplateStore.class).replaceAll(orgId, integrationId, list);
    }
}
