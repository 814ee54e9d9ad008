package dev.parley.cloudapi.webhook;

import java.util.List;

import tools.jackson.databind.JsonNode;

/** One shared contact card of a {@code contacts} message. Absent parts are {@code null} or empty lists. */
public record ContactCard(Name name, List<Phone> phones, List<Email> emails, List<Url> urls,
                          List<Address> addresses, Org org, String birthday, JsonNode raw) {

    public ContactCard {
        phones = Json.copy(phones);
        emails = Json.copy(emails);
        urls = Json.copy(urls);
        addresses = Json.copy(addresses);
        raw = Json.raw(raw);
    }

    static ContactCard from(JsonNode node) {
        JsonNode name = Json.object(node, "name");
        JsonNode org = Json.object(node, "org");
        return new ContactCard(
                name == null ? null : new Name(Json.text(name, "formatted_name"), Json.text(name, "first_name"),
                        Json.text(name, "last_name"), Json.text(name, "middle_name"), Json.text(name, "suffix"),
                        Json.text(name, "prefix"), name),
                Json.list(node, "phones", p -> new Phone(Json.text(p, "phone"), Json.text(p, "wa_id"),
                        Json.text(p, "type"), p)),
                Json.list(node, "emails", e -> new Email(Json.text(e, "email"), Json.text(e, "type"), e)),
                Json.list(node, "urls", u -> new Url(Json.text(u, "url"), Json.text(u, "type"), u)),
                Json.list(node, "addresses", a -> new Address(Json.text(a, "street"), Json.text(a, "city"),
                        Json.text(a, "state"), Json.text(a, "zip"), Json.text(a, "country"),
                        Json.text(a, "country_code"), Json.text(a, "type"), a)),
                org == null ? null : new Org(Json.text(org, "company"), Json.text(org, "department"),
                        Json.text(org, "title"), org),
                Json.text(node, "birthday"),
                node);
    }

    /** {@code name}. */
    public record Name(String formattedName, String firstName, String lastName, String middleName, String suffix,
                       String prefix, JsonNode raw) {
        public Name {
            raw = Json.raw(raw);
        }
    }

    /** {@code phones[]}; {@code waId} is set when the number is on WhatsApp. */
    public record Phone(String phone, String waId, String type, JsonNode raw) {
        public Phone {
            raw = Json.raw(raw);
        }
    }

    /** {@code emails[]}. */
    public record Email(String email, String type, JsonNode raw) {
        public Email {
            raw = Json.raw(raw);
        }
    }

    /** {@code urls[]}. */
    public record Url(String url, String type, JsonNode raw) {
        public Url {
            raw = Json.raw(raw);
        }
    }

    /** {@code addresses[]}. */
    public record Address(String street, String city, String state, String zip, String country, String countryCode,
                          String type, JsonNode raw) {
        public Address {
            raw = Json.raw(raw);
        }
    }

    /** {@code org}. */
    public record Org(String company, String department, String title, JsonNode raw) {
        public Org {
            raw = Json.raw(raw);
        }
    }
}
