package dev.parley.server.audit;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class AuditPostgresTest extends AuditContract {
}
