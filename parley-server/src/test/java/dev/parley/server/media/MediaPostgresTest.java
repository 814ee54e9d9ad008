package dev.parley.server.media;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class MediaPostgresTest extends MediaContract {
}
