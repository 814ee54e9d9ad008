package dev.parley.server.secret;

import dev.parley.server.identity.Role;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
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
        assertThat(pending.size()).isEqualTo(3);
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

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
