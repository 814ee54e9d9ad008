package dev.parley.server.identity;

import dev.parley.server.ParleyApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * First start of an empty database creates the Default organization, its owner from PARLEY_BOOTSTRAP_EMAIL
 * and PARLEY_BOOTSTRAP_TOKEN, printing a random password once; a second start on the same database does
 * nothing. Starts Parley itself (twice) the way an operator would, with the environment variables' names.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class BootstrapContract {

    private static final Pattern PRINTED = Pattern.compile("Generated password \\(shown only this once\\): (\\S+)");

    @TempDir
    Path dataDir;

    private List<String> database;

    /** Arguments that point Parley at a fresh database of the kind under test (called once per test). */
    abstract List<String> databaseArgs(Path dataDir);

    @BeforeEach
    void freshDatabase() {
        database = databaseArgs(dataDir);
    }

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(database);
        args.add("--server.port=0");
        args.add("--PARLEY_DATA_DIR=" + dataDir);
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(ParleyApplication.class).run(args.toArray(String[]::new));
    }

    private static int status(ConfigurableApplicationContext app, String path, String token) throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        b.header("Authorization", "Bearer " + token);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void firstStartCreatesTheOwnerAndTokenAndPrintsTheRandomPasswordOnceLaterStartsDoNothing(CapturedOutput output)
            throws Exception {
        String token = "prl_bootstrap_" + UUID.randomUUID();
        String password;
        try (ConfigurableApplicationContext app = start("--PARLEY_BOOTSTRAP_EMAIL=Boss@Example.test",
                "--PARLEY_BOOTSTRAP_TOKEN=" + token)) {
            Matcher m = PRINTED.matcher(output.getAll());
            assertThat(m.find()).as("the generated password is printed").isTrue();
            password = m.group(1);
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            assertThat(m.find()).as("printed once").isFalse();

            JdbcClient jdbc = app.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT name FROM organizations").query(String.class).list()).containsExactly("Default");
            assertThat(jdbc.sql("SELECT email || ' ' || role FROM users").query(String.class).list())
                    .containsExactly("boss@example.test owner");
            String hash = jdbc.sql("SELECT password_hash FROM users").query(String.class).single();
            assertThat(hash).startsWith("{bcrypt}").doesNotContain(password);
            assertThat(app.getBean(PasswordEncoder.class).matches(password, hash)).isTrue();
            assertThat(status(app, "/api/v1/users", token)).isEqualTo(200);
            assertThat(jdbc.sql("SELECT action FROM audit_events").query(String.class).list())
                    .contains("organization.bootstrapped", "user.created", "api_token.created");
        }

        String otherToken = "prl_bootstrap_" + UUID.randomUUID();
        int before = output.getAll().length();
        try (ConfigurableApplicationContext app = start("--PARLEY_BOOTSTRAP_EMAIL=someone-else@example.test",
                "--PARLEY_BOOTSTRAP_TOKEN=" + otherToken)) {
            String second = output.getAll().substring(before);
            assertThat(second).doesNotContain("Generated password").doesNotContain(password);
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM organizations").query(Integer.class).single()).isEqualTo(1);
            assertThat(jdbc.sql("SELECT email FROM users").query(String.class).list()).containsExactly("boss@example.test");
            assertThat(status(app, "/api/v1/users", token)).isEqualTo(200);
            assertThat(status(app, "/api/v1/users", otherToken)).isEqualTo(401);
        }
    }

    @Test
    void aGivenPasswordIsUsedAndNotPrinted(CapturedOutput output) {
        try (ConfigurableApplicationContext app = start("--PARLEY_BOOTSTRAP_PASSWORD=correct horse battery staple")) {
            assertThat(output.getAll()).doesNotContain("Generated password").doesNotContain("correct horse");
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT email FROM users").query(String.class).single()).isEqualTo("admin@localhost");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM api_tokens").query(Integer.class).single()).isZero();
            assertThat(app.getBean(PasswordEncoder.class).matches("correct horse battery staple",
                    jdbc.sql("SELECT password_hash FROM users").query(String.class).single())).isTrue();
        }
    }
}
