package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

/**
 * Webhook feature: keep large delivery bodies out of the table's pages on the embedded database.
 *
 * <p>H2 stores a {@code BYTEA} ({@code VARBINARY}) value inside its B-tree pages, so with bodies near Meta's 3 MB
 * limit every update of a neighbouring row (a claim, a finished delivery) rewrote pages of several megabytes, and a
 * few dozen such deliveries exhausted a 256 MiB heap ({@code OutOfMemoryError} inside H2's MVStore, after which H2
 * refuses every write until restarted; see docs/drills.md). A {@code BINARY LARGE OBJECT} (a BLOB; the name
 * {@code BLOB} does not mean that in H2's PostgreSQL mode) is stored by H2 as a LOB in its own blocks, outside the
 * table's pages; JDBC reads and writes it with the same {@code getBytes}/{@code setBytes}.
 *
 * <p>PostgreSQL needs nothing: a {@code bytea} value over about 2 kB is already stored out of line (TOAST). The
 * statement differs by database (PostgreSQL has no {@code BLOB} type), hence a Java migration rather than SQL.
 */
public class V11__webhook_large_bodies extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE webhook_deliveries ALTER COLUMN body SET DATA TYPE BINARY LARGE OBJECT");
            }
        }
    }
}
