package dev.parley.cloudapi.outbound;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A contact card for a contacts message, in Meta's shape. {@code OutboundContact.builder("Ana Silva")...build()}. */
public final class OutboundContact {

    private final ObjectNode json;

    private OutboundContact(ObjectNode json) {
        this.json = json;
    }

    ObjectNode json() {
        return json.deepCopy();
    }

    /** @param formattedName the name as shown (required by Meta) */
    public static Builder builder(String formattedName) {
        return new Builder(formattedName);
    }

    public static final class Builder {
        private final ObjectNode card = JsonNodeFactory.instance.objectNode();
        private final ObjectNode name;

        private Builder(String formattedName) {
            name = card.putObject("name");
            name.put("formatted_name", formattedName);
        }

        public Builder name(String firstName, String lastName) {
            if (firstName != null) name.put("first_name", firstName);
            if (lastName != null) name.put("last_name", lastName);
            return this;
        }

        /** @param type e.g. CELL, MAIN, HOME, WORK (may be null); @param waId the WhatsApp id (may be null) */
        public Builder phone(String phone, String type, String waId) {
            ObjectNode p = array("phones").addObject();
            p.put("phone", phone);
            if (type != null) p.put("type", type);
            if (waId != null) p.put("wa_id", waId);
            return this;
        }

        public Builder email(String email, String type) {
            ObjectNode e = array("emails").addObject();
            e.put("email", email);
            if (type != null) e.put("type", type);
            return this;
        }

        public Builder url(String url, String type) {
            ObjectNode u = array("urls").addObject();
            u.put("url", url);
            if (type != null) u.put("type", type);
            return this;
        }

        public Builder org(String company, String department, String title) {
            ObjectNode o = card.putObject("org");
            if (company != null) o.put("company", company);
            if (department != null) o.put("department", department);
            if (title != null) o.put("title", title);
            return this;
        }

        public Builder address(String street, String city, String state, String zip, String country,
                               String countryCode, String type) {
            ObjectNode a = array("addresses").addObject();
            if (street != null) a.put("street", street);
            if (city != null) a.put("city", city);
            if (state != null) a.put("state", state);
            if (zip != null) a.put("zip", zip);
            if (country != null) a.put("country", country);
            if (countryCode != null) a.put("country_code", countryCode);
            if (type != null) a.put("type", type);
            return this;
        }

        /** {@code YYYY-MM-DD}. */
        public Builder birthday(String birthday) {
            card.put("birthday", birthday);
            return this;
        }

        private ArrayNode array(String field) {
            return card.has(field) ? (ArrayNode) card.get(field) : card.putArray(field);
        }

        public OutboundContact build() {
            return new OutboundContact(card.deepCopy());
        }
    }
}
