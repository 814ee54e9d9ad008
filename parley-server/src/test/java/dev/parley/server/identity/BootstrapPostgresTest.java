package dev.parley.server.identity;

import dev.parley.server.support.EmbeddedPostgresServer;

import java.nio.file.Path;
import java.util.List;

class BootstrapPostgresTest extends BootstrapContract {

    @Override
    List<String> databaseArgs(Path dataDir) {
        return List.of("--PARLEY_DB_URL=" + EmbeddedPostgresServer.newDatabase(), "--PARLEY_DB_USER=postgres",
                "--PARLEY_DB_PASSWORD=postgres");
    }
}
