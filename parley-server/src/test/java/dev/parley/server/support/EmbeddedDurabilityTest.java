package dev.parley.server.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the kill -9 drills found (docs/drills.md): with H2's default write delay, a process killed right after its
 * commits loses them (the table itself, in this test). A child JVM commits rows through the embedded database URL
 * Parley really uses (application.properties) and halts at once, as kill -9 would; every committed row must be
 * there when the database is opened again.
 */
class EmbeddedDurabilityTest {

    static String embeddedUrl(Path dataDir) throws Exception {
        Properties p = new Properties();
        try (InputStream in = EmbeddedDurabilityTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        String url = p.getProperty("spring.datasource.url");
        String fallback = url.substring("${PARLEY_DB_URL:".length(), url.length() - 1);
        return fallback.replace("${parley.data-dir}", dataDir.toString());
    }

    /** The child: commits 200 rows one by one, then halts without closing anything. */
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
            c.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY)");
            PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?)");
            for (int i = 0; i < 200; i++) {
                ps.setInt(1, i);
                ps.executeUpdate();
            }
            Runtime.getRuntime().halt(9);
        }
    }

    @Test
    void commitsSurviveTheProcessBeingKilled(@TempDir Path dir) throws Exception {
        String url = embeddedUrl(dir);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedDurabilityTest.class.getName(), url)
                .inheritIO().start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(9);
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(200);
        }
    }
}
