package dev.parley.server.secret;

import dev.parley.server.identity.Role;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rotation end to end over HTTP: rows encrypted under key A (from PARLEY_CREDENTIAL_KEY) are all readable and
 * under key B afterwards, A's ciphertexts are gone, A is retired for good, and fingerprints do not change.
 * Generic over the registered {@link EncryptedColumn}s: every feature's column (here also the channel
 * feature's, filled through its API) must hold values and have all of them moved.
 */
@TestPropertySource(properties = {
        "parley.credential.key=" + CredentialKeyRotationContract.KEY_A,
        "parley.credential.rotation-batch-size=7"})
@Import(CredentialKeyRotationContract.ProbeColumns.class)
abstract class CredentialKeyRotationContract extends ApiTestBase {

    static final String KEY_A = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String KEY_B = "H+Dh4uPk5ebn6Onq6+zt7u/w8fLz9PX29/j5+vv8/f4=";

    @TestConfiguration
    static class ProbeColumns {
        @Bean
        EncryptedColumn probeToken() {
            return EncryptedColumn.of("rotation_probe", "id", "token");
        }

        @Bean
        EncryptedColumn probeSecret() {
            return new EncryptedColumn("rotation_probe", "id", "app_secret", "secret");
        }
    }

    @Autowired
    SecretBox box;
    @Autowired
    Fingerprints fingerprints;
    @Autowired
    CredentialKeyRotation rotation;
    @Value("${parley.data-dir}")
    Path dataDir;

    static String id(String base64) {
        return KeyMaterial.hex(KeyMaterial.idOf(Base64.getDecoder().decode(base64)));
    }

    @Test
    void rotatingReencryptsEveryRegisteredColumnAndRetiresTheOldKey() {
        jdbc.sql("CREATE TABLE rotation_probe (id UUID PRIMARY KEY, token VARCHAR(1000), app_secret VARCHAR(1000))")
                .update();
        assertThat(box.primaryKeyId()).isEqualTo(id(KEY_A));
        String fingerprintBefore = fingerprints.of("test", "verify-me");

        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            UUID rowId = UUID.randomUUID();
            ids.add(rowId);
            jdbc.sql("INSERT INTO rotation_probe (id, token, app_secret) VALUES (?, ?, ?)")
                    .params(rowId, box.encrypt("token-" + i, "rotation_probe", rowId.toString(), "token"),
                            i % 5 == 0 ? null : box.encrypt("secret-" + i, "rotation_probe", rowId.toString(), "secret"))
                    .update();
        }
        // a real feature's secrets too: a WhatsApp integration created over the API under key A
        Answer integration = post("/api/v1/channels/whatsapp/integrations", BOOTSTRAP_TOKEN, json(Map.of(
                "waba_id", "100000000000002", "phone_number_id", "555000111222333",
                "app_secret", "rotation-app-secret-a1b2", "access_token", "EAAG-rotation-token-c3d4",
                "verify_token", "rotation-verify-e5f6")));
        assertThat(integration.status()).isEqualTo(201);
        String integrationPath = "/api/v1/channels/whatsapp/integrations/" + integration.json().get("id").asString();

        // the sandbox's stored credentials (the sandbox is off in this test context): a row as it writes one
        UUID sandboxId = UUID.randomUUID();
        jdbc.sql("INSERT INTO sandbox_channel (integration_id, org_id, app_id, waba_id, phone_number_id, "
                        + "display_phone_number, verified_name, app_secret_enc, access_token_enc, created_at) "
                        + "VALUES (?, ?, '1', '2', '3', '15550000000', 'Sandbox', ?, ?, CURRENT_TIMESTAMP)")
                .params(sandboxId, UUID.randomUUID(),
                        box.encrypt("sandbox-secret", "sandbox_channel", sandboxId.toString(), "app_secret_enc"),
                        box.encrypt("EAAG-sandbox", "sandbox_channel", sandboxId.toString(), "access_token_enc"))
                .update();

        // what every registered column holds before the rotation: each has values, all under A
        List<EncryptedColumn> columns = rotation.columns();
        assertThat(columns).extracting(c -> c.table() + "." + c.column()).contains(
                "whatsapp_integrations.app_secret_enc", "whatsapp_integrations.access_token_enc",
                "whatsapp_integrations.verify_token_enc", "secret_settings.encrypted_value",
                "rotation_probe.token", "rotation_probe.app_secret");
        Map<String, Integer> valuesBefore = new java.util.LinkedHashMap<>();
        for (EncryptedColumn c : columns) {
            int n = countValues(c, null);
            assertThat(n).as(c.table() + "." + c.column() + " has values to rotate").isPositive();
            assertThat(countValues(c, id(KEY_A))).isEqualTo(n);
            valuesBefore.put(c.table() + "." + c.column(), n);
        }

        String oldCiphertext = jdbc.sql("SELECT token FROM rotation_probe WHERE id = ?").param(ids.get(0))
                .query(String.class).single();
        assertThat(oldCiphertext).startsWith("v1." + id(KEY_A) + ".");

        Answer status = get("/api/v1/admin/credential-key", BOOTSTRAP_TOKEN);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("primary_key_id").asString()).isEqualTo(id(KEY_A));

        Answer rotated = post("/api/v1/admin/credential-key/rotate", BOOTSTRAP_TOKEN, json(Map.of("new_key", KEY_B)));
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.body()).doesNotContain(KEY_B).doesNotContain(KEY_A);
        JsonNode r = rotated.json();
        assertThat(r.get("primary_key_id").asString()).isEqualTo(id(KEY_B));
        assertThat(r.get("failed").asInt()).isZero();
        assertThat(r.at("/columns/rotation_probe.token").asInt()).isEqualTo(40);
        assertThat(r.at("/columns/rotation_probe.app_secret").asInt()).isEqualTo(32);
        assertThat(r.at("/columns/secret_settings.encrypted_value").asInt()).isEqualTo(1);
        // every registered column moved entirely: as many re-encrypted as it held, none left under A
        assertThat(r.get("columns").size()).isEqualTo(columns.size());
        for (EncryptedColumn c : columns) {
            String name = c.table() + "." + c.column();
            assertThat(r.at("/columns/" + name.replace("/", "~1")).asInt()).as(name).isEqualTo(valuesBefore.get(name));
            assertThat(countValues(c, id(KEY_A))).as(name + " under A").isZero();
            assertThat(countValues(c, id(KEY_B))).as(name + " under B").isEqualTo(valuesBefore.get(name));
        }
        // and the integration's secrets still decrypt (the answer shows their masks)
        JsonNode after = get(integrationPath, BOOTSTRAP_TOKEN).json();
        assertThat(after.get("app_secret").asString()).isEqualTo("••••a1b2");
        assertThat(after.get("access_token").asString()).isEqualTo("••••c3d4");
        assertThat(after.get("verify_token").asString()).isEqualTo("••••e5f6");
        assertThat(r.get("retired_key_ids").get(0).asString()).isEqualTo(id(KEY_A));

        // every row readable, now under B; no A ciphertext left anywhere
        for (int i = 0; i < ids.size(); i++) {
            String rowId = ids.get(i).toString();
            Map<String, Object> row = jdbc.sql("SELECT token, app_secret FROM rotation_probe WHERE id = ?")
                    .param(ids.get(i)).query().singleRow();
            assertThat((String) row.get("token")).startsWith("v1." + id(KEY_B) + ".");
            assertThat(box.decrypt((String) row.get("token"), "rotation_probe", rowId, "token")).isEqualTo("token-" + i);
            if (i % 5 == 0) {
                assertThat(row.get("app_secret")).isNull();
            } else {
                assertThat(box.decrypt((String) row.get("app_secret"), "rotation_probe", rowId, "secret"))
                        .isEqualTo("secret-" + i);
            }
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM rotation_probe WHERE token LIKE ? OR app_secret LIKE ?")
                .params("v1." + id(KEY_A) + ".%", "v1." + id(KEY_A) + ".%").query(Integer.class).single()).isZero();
        JsonNode pending = get("/api/v1/admin/credential-key", BOOTSTRAP_TOKEN).json().get("pending");
        assertThat(pending.size()).isEqualTo(columns.size());
        pending.values().forEach(count -> assertThat(count.asInt()).isZero());
        assertThatThrownBy(() -> box.decrypt(oldCiphertext, "rotation_probe", ids.get(0).toString(), "token"))
                .isInstanceOf(SecretDecryptionException.class);
        assertThat(fingerprints.of("test", "verify-me")).isEqualTo(fingerprintBefore);

        // the keyset file holds B only; a restart with PARLEY_CREDENTIAL_KEY still set to A keeps B
        Path keyset = dataDir.resolve(CredentialKeyStore.KEYSET_FILE);
        assertThat(keyset).exists();
        assertThat(readString(keyset)).contains(KEY_B).doesNotContain(KEY_A);
        KeyMaterial restarted = new CredentialKeyStore(dataDir, KEY_A, "").load();
        assertThat(KeyMaterial.hex(restarted.primary())).isEqualTo(id(KEY_B));
        assertThat(restarted.keys()).hasSize(1);

        // audited, and rotating to a known key again is refused
        Answer audit = get("/api/v1/audit-events?action=credential_key.rotated", BOOTSTRAP_TOKEN);
        assertThat(audit.json().get("data").get(0).get("subject").asString()).isEqualTo(id(KEY_B));
        Answer again = post("/api/v1/admin/credential-key/rotate", BOOTSTRAP_TOKEN, json(Map.of("new_key", KEY_A)));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().at("/error/code").asString()).isEqualTo("key_known");
    }

    @Test
    void onlyTheInstanceOwnersMayRotate() {
        TestOrg other = newOrg();
        Answer a = post("/api/v1/admin/credential-key/rotate", other.ownerToken(), "{}");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().at("/error/code").asString()).isEqualTo("forbidden");
        assertThat(get("/api/v1/admin/credential-key", other.ownerToken()).status()).isEqualTo(403);
        Answer bad = post("/api/v1/admin/credential-key/rotate", BOOTSTRAP_TOKEN, json(Map.of("new_key", "c2hvcnQ=")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/message").asString()).contains("32 random bytes");
    }

    /** Non-null values of the column; with a key id, only those encrypted under that key. */
    private int countValues(EncryptedColumn c, String keyId) {
        String sql = "SELECT COUNT(*) FROM " + c.table() + " WHERE " + c.column() + " IS NOT NULL"
                + (keyId == null ? "" : " AND " + c.column() + " LIKE ?");
        JdbcClient.StatementSpec spec = jdbc.sql(sql);
        if (keyId != null) {
            spec = spec.param("v1." + keyId + ".%");
        }
        return spec.query(Integer.class).single();
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
