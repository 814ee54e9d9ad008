package dev.parley.server.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The credential keys Parley knows: raw 32-byte AES keys by key id, which one encrypts (the primary), and
 * the ids of keys retired by a rotation (their material is gone; they must never come back as primary).
 * Immutable.
 */
record KeyMaterial(Map<Integer, byte[]> keys, int primary, Set<Integer> retired) {

    static final int KEY_BYTES = 32;

    KeyMaterial {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        retired = Collections.unmodifiableSet(new LinkedHashSet<>(retired));
        if (!keys.containsKey(primary)) {
            throw new IllegalStateException("the primary credential key is missing from the keyset");
        }
    }

    /** A key's id: the first four bytes of a SHA-256 over it, so the same key always has the same id. */
    static int idOf(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("parley-credential-key-id:".getBytes(StandardCharsets.US_ASCII));
            byte[] d = sha.digest(key);
            int id = ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
            return id == 0 ? 1 : id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(int id) {
        return String.format("%08x", id);
    }

    KeyMaterial withPrimary(byte[] key) {
        Map<Integer, byte[]> next = new LinkedHashMap<>();
        int id = idOf(key);
        next.put(id, key.clone());
        next.putAll(keys);
        return new KeyMaterial(next, id, retired);
    }

    /** Only the primary key remains; the others are remembered as retired. */
    KeyMaterial retireAllButPrimary() {
        Set<Integer> nowRetired = new LinkedHashSet<>(retired);
        keys.keySet().stream().filter(id -> id != primary).forEach(nowRetired::add);
        return new KeyMaterial(Map.of(primary, keys.get(primary)), primary, nowRetired);
    }
}
