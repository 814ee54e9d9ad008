package dev.parley.cloudapi.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.SeededBusiness;
import dev.parley.emulator.Seed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    static CloudApiEmulator emu;
    static SeededBusiness biz;
    static GraphClient graph;

    @BeforeAll
    static void start() {
        emu = CloudApiEmulator.start();
        biz = emu.seed(Seed.builder().wabaId("200000000000001").phoneNumberId("200000000000002")
                .displayPhoneNumber("15550001111").verifiedName("Acme Support").accessToken("tok-phone").build());
        graph = GraphClient.builder().baseUrl(emu.baseUrl()).accessToken(biz.accessToken()).build();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void getsAPhoneNumberWithMetasDefaultFields() {
        PhoneNumber pn = graph.getPhoneNumber(biz.phoneNumberId());

        assertThat(pn.id()).isEqualTo(biz.phoneNumberId());
        assertThat(pn.displayPhoneNumber()).isEqualTo("15550001111");
        assertThat(pn.digits()).isEqualTo("15550001111");
        assertThat(pn.verifiedName()).isEqualTo("Acme Support");
        assertThat(pn.qualityRating()).isNotBlank();
        assertThat(pn.throughputLevel()).isEqualTo("STANDARD");
        assertThat(pn.raw().get("code_verification_status").asString()).isEqualTo(pn.codeVerificationStatus());
    }

    @Test
    void getsChosenFields() {
        PhoneNumber pn = graph.getPhoneNumber(biz.phoneNumberId(), "whatsapp_business_manager_messaging_limit");

        assertThat(pn.raw().get("whatsapp_business_manager_messaging_limit").asString()).isEqualTo("TIER_250");
        assertThat(pn.verifiedName()).isNull();
    }

    @Test
    void listsEveryNumberOfAWabaAcrossPages() {
        emu.seed(Seed.builder().wabaId("300000000000001").phoneNumberId("300000000000010")
                .displayPhoneNumber("15550003000").accessToken("tok-many").appId("300000000000099").build());
        for (int i = 1; i <= 4; i++) {
            emu.addPhoneNumber("300000000000001", "30000000000001" + i, "1555000300" + i, "Branch " + i);
        }
        GraphClient many = graph.withAccessToken("tok-many");

        List<PhoneNumber> pagedByTwo = many.listPhoneNumbers("300000000000001", 2);
        List<PhoneNumber> defaultPaging = many.listPhoneNumbers("300000000000001");

        assertThat(pagedByTwo).extracting(PhoneNumber::id).containsExactly("300000000000010", "300000000000011",
                "300000000000012", "300000000000013", "300000000000014");
        assertThat(pagedByTwo).extracting(PhoneNumber::displayPhoneNumber).contains("15550003003");
        assertThat(defaultPaging).extracting(PhoneNumber::id).isEqualTo(pagedByTwo.stream().map(PhoneNumber::id).toList());
    }

    @Test
    void anUnknownNumberIsAPermanentErrorWithMetasObjectNotFound() {
        assertThatThrownBy(() -> graph.getPhoneNumber("999999999999999"))
                .isInstanceOfSatisfying(GraphApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(100);
                    assertThat(e.subcode()).isEqualTo(33);
                    assertThat(e.type()).isEqualTo("GraphMethodException");
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.fbtraceId()).isNotBlank();
                    assertThat(e.message()).contains("999999999999999");
                    assertThat(e.classification()).isEqualTo(Classification.PERMANENT);
                    assertThat(e.retryAfter()).isEmpty();
                    assertThat(e.getMessage()).contains("100/33").contains("fbtrace_id");
                });
    }
}
