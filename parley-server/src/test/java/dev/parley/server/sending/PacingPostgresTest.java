package dev.parley.server.sending;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class PacingPostgresTest extends PacingContract {
}
