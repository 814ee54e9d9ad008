package dev.parley.server.secret;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where credential keys come from, and where a rotation writes them. Sources, merged at start:
 * <ol>
 *   <li>{@code credential-keyset.json} in the data dir, written by a rotation (all keys needed to read the
 *       data, the primary, and the ids of retired keys);</li>
 *   <li>{@code PARLEY_CREDENTIAL_KEY}: becomes the primary unless the keyset already knows it (then the
 *       keyset's primary stands) or a rotation retired it (then it is ignored with a warning);</li>
 *   <li>{@code PARLEY_CREDENTIAL_KEYS_OLD}: comma-separated keys that can still decrypt;</li>
 *   <li>{@code credential.key} in the data dir: generated once, with a warning, when there is no other key.</li>
 * </ol>
 */
@Component
class CredentialKeyStore {

    private static final Logger log = LoggerFactory.getLogger(CredentialKeyStore.class);
    static final String KEYSET_FILE = "credential-keyset.json";
    static final String KEY_FILE = "credential.key";

    private final Path dataDir;
    private final String configuredKey;
    private final String oldKeys;
    private final JsonMapper json = JsonMapper.builder().build();

    CredentialKeyStore(@Value("${parley.data-dir}") Path dataDir,
                       @Value("${parley.credential.key:}") String configuredKey,
                       @Value("${parley.credential.old-keys:}") String oldKeys) {
        this.dataDir = dataDir;
        this.configuredKey = configuredKey;
        this.oldKeys = oldKeys;
    }

    Path keysetFile() {
        return dataDir.resolve(KEYSET_FILE);
    }

    Path keyFile() {
        return dataDir.resolve(KEY_FILE);
    }

    KeyMaterial load() {
        Map<Integer, byte[]> keys = new LinkedHashMap<>();
        Set<Integer> retired = new LinkedHashSet<>();
        Integer primary = null;
        if (Files.exists(keysetFile())) {
            JsonNode root = json.readTree(read(keysetFile()));
            for (JsonNode k : root.path("keys")) {
                byte[] key = decode(k.path("key").asString(), KEYSET_FILE);
                keys.put(KeyMaterial.idOf(key), key);
            }
            for (JsonNode r : root.path("retired")) {
                retired.add(Integer.parseUnsignedInt(r.asString(), 16));
            }
            String p = root.path("primary").asString();
            primary = p.isEmpty() ? null : Integer.parseUnsignedInt(p, 16);
        }

        byte[] configured = null;
        if (configuredKey != null && !configuredKey.isBlank()) {
            configured = decode(configuredKey, "PARLEY_CREDENTIAL_KEY");
        } else if (Files.exists(keyFile())) {
            configured = decode(read(keyFile()), keyFile().toString());
        } else if (keys.isEmpty()) {
            configured = generateKeyFile();
        }
        if (configured != null) {
            int id = KeyMaterial.idOf(configured);
            if (retired.contains(id)) {
                log.warn("The configured credential key {} was retired by a rotation and is ignored; the primary key is"
                        + " now {} (in {}). Set PARLEY_CREDENTIAL_KEY to the new key.", KeyMaterial.hex(id),
                        primary == null ? "?" : KeyMaterial.hex(primary), keysetFile());
            } else if (!keys.containsKey(id)) {
                if (!keys.isEmpty()) {
                    log.info("Credential key {} is new and becomes the primary key; the {} older key(s) still decrypt."
                            + " Rotate to re-encrypt everything under it.", KeyMaterial.hex(id), keys.size());
                }
                Map<Integer, byte[]> withNew = new LinkedHashMap<>();
                withNew.put(id, configured);
                withNew.putAll(keys);
                keys = withNew;
                primary = id;
            }
        }
        if (oldKeys != null && !oldKeys.isBlank()) {
            for (String old : oldKeys.split(",")) {
                if (old.isBlank()) {
                    continue;
                }
                byte[] key = decode(old, "PARLEY_CREDENTIAL_KEYS_OLD");
                int id = KeyMaterial.idOf(key);
                if (!retired.contains(id)) {
                    keys.putIfAbsent(id, key);
                }
            }
        }
        if (primary == null || !keys.containsKey(primary)) {
            throw new IllegalStateException("No usable credential key: set PARLEY_CREDENTIAL_KEY (base64 of 32 bytes)"
                    + " or restore " + keysetFile());
        }
        return new KeyMaterial(keys, primary, retired);
    }

    /** Writes the keyset file atomically, readable by the owner only. */
    void persist(KeyMaterial material) {
        ObjectNode root = json.createObjectNode();
        root.put("primary", KeyMaterial.hex(material.primary()));
        ArrayNode keys = root.putArray("keys");
        material.keys().forEach((id, key) -> keys.addObject().put("id", KeyMaterial.hex(id))
                .put("key", Base64.getEncoder().encodeToString(key)));
        ArrayNode retired = root.putArray("retired");
        material.retired().forEach(id -> retired.add(KeyMaterial.hex(id)));
        try {
            Files.createDirectories(dataDir);
            Path tmp = dataDir.resolve(KEYSET_FILE + ".tmp");
            Files.deleteIfExists(tmp);
            createOwnerOnly(tmp);
            Files.writeString(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            Files.move(tmp, keysetFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + keysetFile(), e);
        }
    }

    /** Deletes the generated {@code credential.key} when its key has been retired. */
    void forgetRetiredKeyFile(KeyMaterial material) {
        try {
            if (Files.exists(keyFile())
                    && material.retired().contains(KeyMaterial.idOf(decode(read(keyFile()), KEY_FILE)))) {
                Files.delete(keyFile());
                log.info("Deleted {}: its key was retired by the rotation", keyFile());
            }
        } catch (IOException e) {
            log.warn("Could not delete the retired key file {}: delete it by hand", keyFile());
        }
    }

    private byte[] generateKeyFile() {
        byte[] key = new byte[KeyMaterial.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
            Files.createDirectories(dataDir);
            createOwnerOnly(keyFile());
            Files.writeString(keyFile(), Base64.getEncoder().encodeToString(key) + "\n");
        } catch (FileAlreadyExistsException e) {
            return decode(read(keyFile()), keyFile().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the generated credential key to " + keyFile(), e);
        }
        log.warn("PARLEY_CREDENTIAL_KEY is not set: generated a credential key into {} (mode 600). Anyone with this"
                + " file and the database can read stored secrets: back it up separately, or set"
                + " PARLEY_CREDENTIAL_KEY to keep the key out of the data dir.", keyFile());
        return key;
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    /** Decodes a base64 key, insisting on 32 bytes; the message names the source, never the value. */
    static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " must be base64 of 32 random bytes (it is not valid base64)");
        }
        if (key.length != KeyMaterial.KEY_BYTES) {
            Arrays.fill(key, (byte) 0);
            throw new IllegalStateException(source + " must be base64 of 32 random bytes (it decodes to "
                    + key.length + " bytes); make one with: openssl rand -base64 32");
        }
        return key;
    }
}
