package dev.parley.server.channel;

import dev.parley.server.web.ApiException;
import org.springframework.stereotype.Component;

/** Resolves {@code phone_number} through the WABA's phone number list (needs the Graph client). */
@Component
class GraphPhoneNumbers implements Integrations.PhoneNumberResolver {

    @Override
    public Integrations.Resolved resolve(String graphBaseUrl, String graphApiVersion, String accessToken,
                                         String wabaId, String number) {
        throw ApiException.unprocessable("phone_number_unresolvable",
                "resolving phone_number is not available yet; give phone_number_id instead");
    }
}
