package dev.parley.server.secret;

import java.util.regex.Pattern;

/**
 * A column holding {@link SecretBox} ciphertexts. Each feature declares its encrypted columns as beans of this
 * type, so a key rotation can re-encrypt them without knowing the feature's tables. {@code field} is the
 * field name the feature passes to {@code SecretBox.encrypt} (often the column name); the row id is the
 * text form of {@code idColumn}'s value.
 */
public record EncryptedColumn(String table, String idColumn, String column, String field) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public EncryptedColumn {
        for (String name : new String[] {table, idColumn, column}) {
            if (name == null || !IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a plain lower-case SQL identifier");
            }
        }
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("an encrypted column needs the field name used for its associated data");
        }
    }

    /** When the field name is the column name. */
    public static EncryptedColumn of(String table, String idColumn, String column) {
        return new EncryptedColumn(table, idColumn, column, column);
    }
}
