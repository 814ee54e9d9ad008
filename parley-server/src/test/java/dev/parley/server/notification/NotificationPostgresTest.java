package dev.parley.server.notification;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class NotificationPostgresTest extends NotificationContract {
}
