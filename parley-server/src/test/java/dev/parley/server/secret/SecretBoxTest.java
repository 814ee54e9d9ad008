package dev.parley.server.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SecretBox and where its keys come from, without Spring. */
class SecretBoxTest {

    @TempDir
    Path dataDir;

    static String newKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private SecretBox box(String key, String old) {
        return new SecretBox(new CredentialKeyStore(dataDir, key, old));
    }

    @Test
    void roundTripsAndNeverStoresThePlaintext() {
        SecretBox box = box(newKey(), "");
        String stored = box.encrypt("EAAG-access-token-1234", "integrations", "row-1", "access_token");
        assertThat(stored).startsWith("v1." + box.primaryKeyId() + ".").doesNotContain("EAAG").doesNotContain("1234");
        assertThat(box.decrypt(stored, "integrations", "row-1", "access_token")).isEqualTo("EAAG-access-token-1234");
        // a fresh nonce each time
        assertThat(box.encrypt("same", "t", "r", "f")).isNotEqualTo(box.encrypt("same", "t", "r", "f"));
        assertThat(box.encrypt(null, "t", "r", "f")).isNull();
    }

    @Test
    void aCiphertextMovedToAnotherRowFieldOrTableDoesNotDecrypt() {
        SecretBox box = box(newKey(), "");
        String stored = box.encrypt("app-secret", "integrations", "row-1", "app_secret");
        assertThatThrownBy(() -> box.decrypt(stored, "integrations", "row-2", "app_secret"))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("integrations.app_secret").hasMessageNotContaining("app-secret\"");
        assertThatThrownBy(() -> box.decrypt(stored, "integrations", "row-1", "access_token"))
                .isInstanceOf(SecretDecryptionException.class);
        assertThatThrownBy(() -> box.decrypt(stored, "other", "row-1", "app_secret"))
                .isInstanceOf(SecretDecryptionException.class);
        // no ambiguity between ("ab", "c") and ("a", "bc")
        String tricky = box.encrypt("x", "t", "ab", "c");
        assertThatThrownBy(() -> box.decrypt(tricky, "t", "a", "bc")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void damagedOrForeignTextIsAClearError() {
        SecretBox box = box(newKey(), "");
        String stored = box.encrypt("v", "t", "r", "f");
        String flipped = stored.substring(0, stored.length() - 2) + (stored.endsWith("A") ? "BB" : "AA");
        assertThatThrownBy(() -> box.decrypt(flipped, "t", "r", "f")).isInstanceOf(SecretDecryptionException.class);
        assertThatThrownBy(() -> box.decrypt("plain text", "t", "r", "f"))
                .isInstanceOf(SecretDecryptionException.class).hasMessageContaining("not a Parley ciphertext");
    }

    @Test
    void anotherKeyCannotReadButAnOldKeyStillCan() {
        String a = newKey();
        String b = newKey();
        String underA = box(a, "").encrypt("secret", "t", "1", "f");
        Path other = dataDir.resolve("other");
        assertThatThrownBy(() -> new SecretBox(new CredentialKeyStore(other, b, "")).decrypt(underA, "t", "1", "f"))
                .isInstanceOf(SecretDecryptionException.class);
        SecretBox bWithOldA = new SecretBox(new CredentialKeyStore(other, b, a));
        assertThat(bWithOldA.decrypt(underA, "t", "1", "f")).isEqualTo("secret");
        assertThat(bWithOldA.encrypt("x", "t", "1", "f")).startsWith("v1." + bWithOldA.primaryKeyId());
        assertThat(bWithOldA.primaryKeyId()).isEqualTo(KeyMaterial.hex(KeyMaterial.idOf(Base64.getDecoder().decode(b))));
    }

    @Test
    void withoutAConfiguredKeyOneIsGeneratedOnceIntoTheDataDirOwnerOnly() throws Exception {
        SecretBox first = box("", "");
        Path file = dataDir.resolve("credential.key");
        assertThat(file).exists();
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String stored = first.encrypt("kept", "t", "1", "f");
        String content = Files.readString(file);
        SecretBox second = box("", "");
        assertThat(Files.readString(file)).isEqualTo(content);
        assertThat(second.decrypt(stored, "t", "1", "f")).isEqualTo("kept");
    }

    @Test
    void aBadKeyIsRejectedWithoutShowingIt() {
        assertThatThrownBy(() -> box("c2hvcnQ=", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PARLEY_CREDENTIAL_KEY must be base64 of 32 random bytes")
                .hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> box("not base64 !!", ""))
                .hasMessageContaining("not valid base64");
    }

    @Test
    void masksShowOnlyTheLastFour() {
        assertThat(SecretBox.mask("EAAGabcdef1a2b")).isEqualTo("••••1a2b");
        assertThat(SecretBox.mask("short")).isEqualTo("••••");
        assertThat(SecretBox.mask(null)).isNull();
    }
}
