package dev.parley.server.channel;

import dev.parley.cloudapi.graph.GraphApiException;
import dev.parley.cloudapi.graph.GraphException;
import dev.parley.cloudapi.graph.GraphTransportException;

/** Turns a failed Graph call into a hint a person can act on. */
final class GraphHints {

    private GraphHints() {
    }

    static String hint(GraphException e, String graphBaseUrl) {
        if (e instanceof GraphTransportException t) {
            return "Parley could not reach graph_base_url " + graphBaseUrl + " ("
                    + (t.timedOut() ? "no answer in time" : "connection failed") + "). Check the URL, DNS, proxies "
                    + "and firewalls between Parley and Meta, then test again.";
        }
        GraphApiException a = (GraphApiException) e;
        int code = a.code();
        if (code == 190 || code == 102 || code == 2500) {
            return "The access token has expired, was revoked or is not valid. Create a System User token in Meta "
                    + "Business Settings (Users > System users > Generate new token; it does not expire) with "
                    + "whatsapp_business_messaging and whatsapp_business_management, and save it as the "
                    + "integration's access_token.";
        }
        if (code == 10 || (code >= 200 && code <= 299)) {
            return "The access token lacks a permission: grant whatsapp_business_messaging and "
                    + "whatsapp_business_management to the token's System User for this WhatsApp Business Account, "
                    + "then generate the token again.";
        }
        if (code == 100 || code == 803) {
            return "Meta does not know this id for this token: check phone_number_id (the Phone number ID from "
                    + "WhatsApp > API Setup, not the number itself) and waba_id, and that the token's app is "
                    + "connected to that WhatsApp Business Account.";
        }
        if (code == 4 || code == 17 || code == 32 || code == 613 || code == 80007 || code == 130429) {
            return "Meta is rate limiting these calls; wait a few minutes and test again.";
        }
        if (code == 368) {
            return "Meta has temporarily blocked this account for policy reasons; see Meta Business Support.";
        }
        if (code >= 131000 && code < 134000) {
            return "WhatsApp Business error " + code + ": " + (a.errorUserMsg() != null ? a.errorUserMsg()
                    : a.message()) + " See Meta's error code reference for what to change.";
        }
        return "Meta answered error " + code + ": " + a.message();
    }
}
