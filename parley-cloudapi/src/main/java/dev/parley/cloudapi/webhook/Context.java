package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/**
 * {@code messages[].context}: the message this one replies to (or whose button was pressed), forward flags,
 * and the product a user asked about.
 *
 * @param from                sender of the referenced message (the business number for replies to it)
 * @param id                  wamid of the referenced message
 * @param forwarded           {@code true} if the message was forwarded
 * @param frequentlyForwarded {@code true} if it was forwarded many times
 * @param referredProduct     {@code referred_product}, or {@code null}
 */
public record Context(String from, String id, Boolean forwarded, Boolean frequentlyForwarded,
                      ReferredProduct referredProduct, JsonNode raw) {

    public Context {
        raw = Json.raw(raw);
    }

    /** Whether Meta flagged the message as forwarded (once or many times). */
    public boolean isForwarded() {
        return Boolean.TRUE.equals(forwarded) || Boolean.TRUE.equals(frequentlyForwarded);
    }

    static Context from(JsonNode node) {
        JsonNode product = Json.object(node, "referred_product");
        return new Context(Json.text(node, "from"), Json.text(node, "id"), Json.bool(node, "forwarded"),
                Json.bool(node, "frequently_forwarded"),
                product == null ? null : new ReferredProduct(Json.text(product, "catalog_id"),
                        Json.text(product, "product_retailer_id"), product),
                node);
    }

    /** {@code context.referred_product}: the catalog product a user's question refers to. */
    public record ReferredProduct(String catalogId, String productRetailerId, JsonNode raw) {
        public ReferredProduct {
            raw = Json.raw(raw);
        }
    }
}
