package dev.parley.server.support;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the test context's database unreachable for the app, and reachable again, without another Spring context:
 * the app's calls get no connection within the pool's timeout (or lose the one they hold), as when PostgreSQL goes
 * away. {@link #close()} ends the outage; the app recovers by itself.
 * <ul>
 * <li>PostgreSQL: the database stops allowing connections and its sessions are terminated (from the embedded
 * server's maintenance database), and the pool's idle connections are evicted: what a stopped server looks like.</li>
 * <li>H2 (embedded, in the same JVM, so it cannot go away by itself): every connection of the app's pool is taken and
 * held, so the app's calls wait the pool's connection timeout and fail exactly as they do when a server does not
 * answer. No H2 session may be closed here: with H2 2.4.240, closing the session that created a
 * {@code CHECK (x IN (...))} constraint (the migrations') breaks that constraint until the database is reopened
 * ("Check constraint invalid"), which would break every later test of the shared context.</li>
 * </ul>
 */
public final class DatabaseOutage implements AutoCloseable {

    private final Connection control;
    private final String postgresDatabase;
    private final List<Connection> held;

    private DatabaseOutage(Connection control, String postgresDatabase, List<Connection> held) {
        this.control = control;
        this.postgresDatabase = postgresDatabase;
        this.held = held;
    }

    /** Begins the outage of the app's database (the context's pooled DataSource). */
    public static DatabaseOutage begin(DataSource dataSource) {
        try {
            HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
            String url = pool.getJdbcUrl();
            if (url.startsWith("jdbc:h2:")) {
                List<Connection> held = new ArrayList<>();
                try {
                    for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                        held.add(pool.getConnection()); // waits for one a worker holds, up to the pool's timeout
                    }
                } catch (SQLException | RuntimeException e) {
                    closeAll(held);
                    throw e;
                }
                return new DatabaseOutage(null, null, held);
            }
            if (url.startsWith("jdbc:postgresql:")) {
                String path = url.substring(url.indexOf("//") + 2);
                path = path.substring(path.indexOf('/') + 1);
                int q = path.indexOf('?');
                String db = q < 0 ? path : path.substring(0, q);
                Connection c = EmbeddedPostgresServer.server().getPostgresDatabase().getConnection();
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");
                }
                pool.getHikariPoolMXBean().softEvictConnections();
                return new DatabaseOutage(c, db, List.of());
            }
            throw new IllegalStateException("no outage for " + url);
        } catch (SQLException e) {
            throw new IllegalStateException("could not take the database away", e);
        }
    }

    /** Ends the outage: the database accepts connections again (the pool reconnects by itself). */
    @Override
    public void close() {
        closeAll(held);
        if (control != null) {
            try (Connection c = control; Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + postgresDatabase + " ALLOW_CONNECTIONS true");
            } catch (SQLException e) {
                throw new IllegalStateException("could not bring the database back", e);
            }
        }
    }

    private static void closeAll(List<Connection> connections) {
        for (Connection c : connections) {
            try {
                c.close(); // back to the pool
            } catch (SQLException ignored) {
                // the pool replaces a broken one
            }
        }
    }
}
