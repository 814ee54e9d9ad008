package dev.parley.server.channel;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class IntegrationSignalsPostgresTest extends IntegrationSignalsContract {
}
