package dev.parley.server.messaging;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class StatusRacePostgresTest extends StatusRaceContract {
}
