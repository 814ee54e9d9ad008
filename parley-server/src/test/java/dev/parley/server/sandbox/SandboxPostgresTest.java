package dev.parley.server.sandbox;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class SandboxPostgresTest extends SandboxContract {
}
