package dev.parley.server.secret;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keyed HMAC-SHA256 fingerprints for lookup columns: find a row by a secret (such as a webhook verify token)
 * without storing the secret in plain text, and without an offline guess being checkable against the
 * database. The HMAC key is random, kept in {@code secret_settings} encrypted by {@link SecretBox}, so it
 * is the same on every node and survives credential key rotations (fingerprints never need recomputing).
 */
@Service
public class Fingerprints {

    static final String TABLE = "secret_settings";
    static final String KEY_NAME = "fingerprint_key";
    static final String FIELD = "value";

    private final JdbcClient jdbc;
    private final SecretBox box;
    private volatile byte[] key;

    Fingerprints(JdbcClient jdbc, SecretBox box) {
        this.jdbc = jdbc;
        this.box = box;
    }

    /**
     * The fingerprint (64 hex characters) of {@code value} for one {@code purpose} (such as
     * {@code whatsapp.verify_token}); the same value under different purposes gives unrelated fingerprints.
     */
    public String of(String purpose, String value) {
        if (purpose == null || value == null) {
            throw new IllegalArgumentException("a fingerprint needs a purpose and a value");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = loadOrCreate();
                }
                k = key;
            }
        }
        return k;
    }

    private byte[] loadOrCreate() {
        String stored = jdbc.sql("SELECT encrypted_value FROM secret_settings WHERE name = ?").param(KEY_NAME)
                .query(String.class).optional().orElse(null);
        if (stored == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try {
                jdbc.sql("INSERT INTO secret_settings (name, encrypted_value) VALUES (?, ?)")
                        .params(KEY_NAME, box.encrypt(Base64.getEncoder().encodeToString(fresh), TABLE, KEY_NAME, FIELD))
                        .update();
                return fresh;
            } catch (DuplicateKeyException e) {
                // another node created it first: use theirs
                stored = jdbc.sql("SELECT encrypted_value FROM secret_settings WHERE name = ?").param(KEY_NAME)
                        .query(String.class).single();
            }
        }
        return Base64.getDecoder().decode(box.decrypt(stored, TABLE, KEY_NAME, FIELD));
    }
}
