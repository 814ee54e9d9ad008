package dev.parley.server.support;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes the test context's database unreachable for the app, and reachable again, without another Spring context:
 * every connection the app holds is closed and no new one is let in, so the pool waits its connection timeout and
 * gives up, as when PostgreSQL goes away. On H2, a separate connection switches the database to exclusive mode (other
 * sessions closed, new ones refused); on PostgreSQL, the database stops allowing connections and its sessions are
 * terminated (from the embedded server's maintenance database). The pool's idle connections are evicted so that none
 * of the closed ones is handed out. {@link #close()} ends the outage.
 */
public final class DatabaseOutage implements AutoCloseable {

    private final HikariDataSource pool;
    private final Connection control;
    private final String postgresDatabase;

    private DatabaseOutage(HikariDataSource pool, Connection control, String postgresDatabase) {
        this.pool = pool;
        this.control = control;
        this.postgresDatabase = postgresDatabase;
    }

    /** Begins the outage of the app's database (the context's pooled DataSource). */
    public static DatabaseOutage begin(DataSource dataSource) {
        try {
            HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
            String url = pool.getJdbcUrl();
            DatabaseOutage outage;
            if (url.startsWith("jdbc:h2:")) {
                Connection c = DriverManager.getConnection(url, pool.getUsername(), pool.getPassword());
                outage = new DatabaseOutage(pool, c, null);
                try (Statement s = c.createStatement()) {
                    // 2: every other session is closed (its transaction rolled back), new ones are refused
                    s.execute("SET EXCLUSIVE 2");
                }
            } else if (url.startsWith("jdbc:postgresql:")) {
                String path = url.substring(url.indexOf("//") + 2);
                path = path.substring(path.indexOf('/') + 1);
                int q = path.indexOf('?');
                String db = q < 0 ? path : path.substring(0, q);
                Connection c = EmbeddedPostgresServer.server().getPostgresDatabase().getConnection();
                outage = new DatabaseOutage(pool, c, db);
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");
                }
            } else {
                throw new IllegalStateException("no outage for " + url);
            }
            pool.getHikariPoolMXBean().softEvictConnections();
            return outage;
        } catch (SQLException e) {
            throw new IllegalStateException("could not take the database away", e);
        }
    }

    /** Ends the outage: the database accepts connections again (the pool reconnects by itself). */
    @Override
    public void close() {
        try (Connection c = control; Statement s = c.createStatement()) {
            if (postgresDatabase == null) {
                s.execute("SET EXCLUSIVE 0");
            } else {
                s.execute("ALTER DATABASE " + postgresDatabase + " ALLOW_CONNECTIONS true");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not bring the database back", e);
        }
    }
}
