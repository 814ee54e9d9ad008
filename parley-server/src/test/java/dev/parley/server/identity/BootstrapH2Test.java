package dev.parley.server.identity;

import java.nio.file.Path;
import java.util.List;

/** On the embedded database: the default file-based H2 inside PARLEY_DATA_DIR. */
class BootstrapH2Test extends BootstrapContract {

    @Override
    List<String> databaseArgs(Path dataDir) {
        return List.of();
    }
}
