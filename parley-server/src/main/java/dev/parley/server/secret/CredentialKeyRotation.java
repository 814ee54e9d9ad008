package dev.parley.server.secret;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rotates the credential key while Parley serves: the new key becomes the primary at once (and is written to
 * the keyset file first, so a crash mid-way loses nothing), then every registered {@link EncryptedColumn} is
 * re-encrypted in small batches, each row with a compare-and-set so a concurrent write is never overwritten.
 * A final sweep catches rows written under the old key during the pass. Only when every row moved are the
 * old keys retired (their material removed from the keyset file).
 */
@Service
public class CredentialKeyRotation {

    private static final Logger log = LoggerFactory.getLogger(CredentialKeyRotation.class);

    /** What a rotation did, per column and in total. */
    public record Result(String primaryKeyId, int reencrypted, int failed, List<String> retiredKeyIds,
                         Map<String, Integer> perColumn) {
    }

    /** Another rotation is running. */
    public static class AlreadyRunning extends RuntimeException {
        AlreadyRunning() {
            super("a credential key rotation is already running");
        }
    }

    private final ReentrantLock running = new ReentrantLock();
    private final SecretBox box;
    private final CredentialKeyStore store;
    private final List<EncryptedColumn> columns;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final int batchSize;

    CredentialKeyRotation(SecretBox box, CredentialKeyStore store, List<EncryptedColumn> columns, JdbcClient jdbc,
                          TransactionTemplate tx, @Value("${parley.credential.rotation-batch-size:200}") int batchSize) {
        this.box = box;
        this.store = store;
        this.columns = List.copyOf(columns);
        this.jdbc = jdbc;
        this.tx = tx;
        this.batchSize = batchSize;
    }

    public List<EncryptedColumn> columns() {
        return columns;
    }

    /** Generates a new random key and rotates to it. */
    public Result rotate(boolean retireOldKeys) {
        byte[] key = new byte[KeyMaterial.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return rotate(key, retireOldKeys);
    }

    /** Rotates to the given 32-byte key (base64 decoded), which must be new to this installation. */
    public Result rotate(byte[] newKey, boolean retireOldKeys) {
        if (newKey == null || newKey.length != KeyMaterial.KEY_BYTES) {
            throw new IllegalArgumentException("the new key must be 32 bytes");
        }
        if (!running.tryLock()) {
            throw new AlreadyRunning();
        }
        try {
            KeyMaterial before = box.material();
            int newId = KeyMaterial.idOf(newKey);
            if (before.keys().containsKey(newId) || before.retired().contains(newId)) {
                throw new IllegalArgumentException("this key is already known to Parley; rotate to a new random key");
            }
            KeyMaterial next = before.withPrimary(newKey);
            store.persist(next);
            box.use(next);
            log.info("Credential key rotation: {} is the primary key now; re-encrypting {} column(s)",
                    KeyMaterial.hex(newId), columns.size());

            Map<String, Integer> perColumn = new LinkedHashMap<>();
            int[] failed = {0};
            for (int pass = 0; pass < 2; pass++) {
                failed[0] = 0;
                for (EncryptedColumn c : columns) {
                    int done = reencrypt(c, failed);
                    perColumn.merge(c.table() + "." + c.column(), done, Integer::sum);
                }
            }
            int total = perColumn.values().stream().mapToInt(Integer::intValue).sum();
            List<String> retired = new ArrayList<>();
            if (failed[0] == 0 && retireOldKeys) {
                KeyMaterial done = next.retireAllButPrimary();
                store.persist(done);
                box.use(done);
                store.forgetRetiredKeyFile(done);
                done.retired().stream().filter(id -> !before.retired().contains(id))
                        .map(KeyMaterial::hex).forEach(retired::add);
            } else if (failed[0] > 0) {
                log.warn("Credential key rotation: {} value(s) could not be decrypted; the old keys are kept", failed[0]);
            }
            log.info("Credential key rotation done: {} value(s) re-encrypted, {} failed, retired {}",
                    total, failed[0], retired);
            return new Result(KeyMaterial.hex(newId), total, failed[0], retired, perColumn);
        } finally {
            running.unlock();
        }
    }

    /** How many stored values are not yet under the primary key, per column. */
    public Map<String, Integer> pending() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (EncryptedColumn c : columns) {
            out.put(c.table() + "." + c.column(), jdbc.sql("SELECT COUNT(*) FROM " + c.table() + " WHERE " + c.column()
                            + " IS NOT NULL AND " + c.column() + " NOT LIKE ?")
                    .param(box.primaryPrefix() + "%").query(Integer.class).single());
        }
        return out;
    }

    private int reencrypt(EncryptedColumn c, int[] failed) {
        String select = "SELECT " + c.idColumn() + " AS row_id, " + c.column() + " AS stored FROM " + c.table()
                + " WHERE " + c.column() + " IS NOT NULL AND " + c.column() + " NOT LIKE :primary";
        String update = "UPDATE " + c.table() + " SET " + c.column() + " = ? WHERE " + c.idColumn() + " = ? AND "
                + c.column() + " = ?";
        record Row(Object id, String text, String stored) {
        }
        int count = 0;
        Object after = null;
        while (true) {
            Object cursor = after;
            List<Row> batch = jdbc.sql(select + (cursor == null ? "" : " AND " + c.idColumn() + " > :after")
                            + " ORDER BY " + c.idColumn() + " LIMIT :limit")
                    .param("primary", box.primaryPrefix() + "%")
                    .params(cursor == null ? Map.of() : Map.of("after", cursor))
                    .param("limit", batchSize)
                    .query((rs, n) -> new Row(rs.getObject("row_id"), rs.getString("row_id"), rs.getString("stored")))
                    .list();
            if (batch.isEmpty()) {
                return count;
            }
            Integer changed = tx.execute(status -> {
                int n = 0;
                for (Row r : batch) {
                    String plain;
                    try {
                        plain = box.decrypt(r.stored(), c.table(), r.text(), c.field());
                    } catch (SecretDecryptionException e) {
                        failed[0]++;
                        log.warn("Credential key rotation: {}", e.getMessage());
                        continue;
                    }
                    n += jdbc.sql(update).params(box.encrypt(plain, c.table(), r.text(), c.field()), r.id(), r.stored())
                            .update();
                }
                return n;
            });
            count += changed == null ? 0 : changed;
            after = batch.get(batch.size() - 1).id();
        }
    }
}
