package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/**
 * The {@code value} of one {@code entry[].changes[]} element, typed by the change's {@code field}. Fields this
 * library does not model (Meta lists about twenty) become {@link UnknownChangeValue} with the raw value kept.
 */
public sealed interface ChangeValue
        permits MessagesValue, TemplateStatusUpdate, TemplateCategoryUpdate, AccountUpdate,
        PhoneNumberQualityUpdate, UnknownChangeValue {

    /** The webhook field this value belongs to, e.g. {@code "messages"}; may be {@code null} if Meta sent none. */
    String field();

    /** The value as received. */
    JsonNode raw();
}
