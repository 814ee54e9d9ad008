package dev.parley.server.channel;

import dev.parley.cloudapi.graph.GraphApiException;
import dev.parley.cloudapi.graph.GraphException;
import dev.parley.cloudapi.graph.PhoneNumber;
import dev.parley.server.web.ApiException;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Resolves {@code phone_number} through {@code GET /{waba_id}/phone_numbers} (every page): digits are compared,
 * so {@code +1 555-000-0001}, {@code 15550000001} and {@code +15550000001} are the same number.
 */
@Component
class GraphPhoneNumbers implements Integrations.PhoneNumberResolver {

    private final GraphClients clients;

    GraphPhoneNumbers(GraphClients clients) {
        this.clients = clients;
    }

    @Override
    public Integrations.Resolved resolve(String graphBaseUrl, String graphApiVersion, String accessToken,
                                         String wabaId, String number) {
        String wanted = Integrations.digits(number);
        List<PhoneNumber> numbers;
        try {
            numbers = clients.client(graphBaseUrl, graphApiVersion, accessToken).listPhoneNumbers(wabaId);
        } catch (GraphException e) {
            String meta = e instanceof GraphApiException a ? " Meta answered error " + a.code() + "." : "";
            throw ApiException.unprocessable("phone_number_lookup_failed",
                    "could not list the phone numbers of WABA " + wabaId + " to find phone_number." + meta + " "
                            + GraphHints.hint(e, graphBaseUrl) + " You can also give phone_number_id instead.");
        }
        for (PhoneNumber p : numbers) {
            if (wanted.equals(p.digits())) {
                return new Integrations.Resolved(p.id(), p.displayPhoneNumber(), p.verifiedName());
            }
        }
        String found = numbers.isEmpty() ? "none"
                : numbers.stream().map(p -> p.displayPhoneNumber() + " (phone_number_id " + p.id() + ")")
                        .collect(Collectors.joining(", "));
        throw ApiException.unprocessable("phone_number_not_found",
                "phone_number " + number + " is not in WABA " + wabaId + "; the numbers found there: " + found);
    }
}
