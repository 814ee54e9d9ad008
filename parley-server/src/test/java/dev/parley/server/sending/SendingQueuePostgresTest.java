package dev.parley.server.sending;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class SendingQueuePostgresTest extends SendingQueueContract {
}
