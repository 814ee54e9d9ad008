package dev.parley.server.webhook;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class BadInputPostgresTest extends BadInputContract {
}
