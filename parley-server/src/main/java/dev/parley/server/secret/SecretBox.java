package dev.parley.server.secret;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Encrypts secrets for storage (Tink AEAD, AES-256-GCM). The associated data binds each ciphertext to its
 * table, row id and field, so a ciphertext copied to another row or column does not decrypt. Stored form:
 * {@code v1.<key id, 8 hex>.<base64url>}; the key id lets several keys coexist during a rotation.
 */
@Service
public class SecretBox {

    static final String VERSION = "v1";

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record Active(KeyMaterial material, Aead aead) {
    }

    private final AtomicReference<Active> active = new AtomicReference<>();

    @Autowired
    SecretBox(CredentialKeyStore store) {
        use(store.load());
    }

    /** For tests and tools that hold keys directly. */
    SecretBox(KeyMaterial material) {
        use(material);
    }

    /** Encrypts {@code plaintext} for {@code table.field} of the row {@code rowId}, under the primary key. */
    public String encrypt(String plaintext, String table, String rowId, String field) {
        if (plaintext == null) {
            return null;
        }
        Active a = active.get();
        try {
            byte[] ct = a.aead().encrypt(plaintext.getBytes(StandardCharsets.UTF_8), associatedData(table, rowId, field));
            return VERSION + "." + KeyMaterial.hex(a.material().primary()) + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(ct);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed for " + table + "." + field, e);
        }
    }

    /** Decrypts what {@link #encrypt} stored for the same table, row id and field. */
    public String decrypt(String stored, String table, String rowId, String field) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split("\\.", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0]) || parts[1].length() != 8) {
            throw new SecretDecryptionException("the stored " + table + "." + field + " is not a Parley ciphertext");
        }
        try {
            byte[] ct = Base64.getUrlDecoder().decode(parts[2]);
            return new String(active.get().aead().decrypt(ct, associatedData(table, rowId, field)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretDecryptionException("cannot decrypt " + table + "." + field + " of row " + rowId
                    + " (key " + parts[1] + "): wrong row or field, unknown key, or damaged value");
        }
    }

    /** Shows a secret as {@code ••••} plus its last four characters (or only the dots when it is short). */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return null;
        }
        return secret.length() <= 8 ? "••••" : "••••" + secret.substring(secret.length() - 4);
    }

    /** The id (8 hex digits) of the key that encrypts now. */
    public String primaryKeyId() {
        return KeyMaterial.hex(active.get().material().primary());
    }

    /** True when a stored value was encrypted under the current primary key. */
    boolean isUnderPrimary(String stored) {
        return stored != null && stored.startsWith(primaryPrefix());
    }

    String primaryPrefix() {
        return VERSION + "." + primaryKeyId() + ".";
    }

    List<String> keyIds() {
        return active.get().material().keys().keySet().stream().map(KeyMaterial::hex).toList();
    }

    KeyMaterial material() {
        return active.get().material();
    }

    /** Switches to a new set of keys; encryption uses its primary from now on. */
    void use(KeyMaterial material) {
        active.set(new Active(material, aeadFor(material)));
    }

    private static Aead aeadFor(KeyMaterial material) {
        try {
            AesGcmParameters params = AesGcmParameters.builder().setKeySizeBytes(32).setIvSizeBytes(12)
                    .setTagSizeBytes(16).setVariant(AesGcmParameters.Variant.TINK).build();
            KeysetHandle.Builder builder = KeysetHandle.newBuilder();
            for (var e : material.keys().entrySet()) {
                AesGcmKey key = AesGcmKey.builder().setParameters(params)
                        .setKeyBytes(SecretBytes.copyFrom(e.getValue(), InsecureSecretKeyAccess.get()))
                        .setIdRequirement(e.getKey()).build();
                KeysetHandle.Builder.Entry entry = KeysetHandle.importKey(key);
                if (e.getKey() == material.primary()) {
                    entry.makePrimary();
                }
                builder.addEntry(entry);
            }
            return builder.build().getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not build the credential keyset", e);
        }
    }

    /** table, row id and field, each length-prefixed so that no two triples give the same bytes. */
    private static byte[] associatedData(String table, String rowId, String field) {
        if (table == null || rowId == null || field == null) {
            throw new IllegalArgumentException("table, row id and field are all required to bind a secret to its place");
        }
        StringBuilder sb = new StringBuilder("parley-secret");
        for (String part : new String[] {table, rowId, field}) {
            sb.append('|').append(part.length()).append(':').append(part);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
