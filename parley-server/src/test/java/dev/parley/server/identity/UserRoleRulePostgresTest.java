package dev.parley.server.identity;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class UserRoleRulePostgresTest extends UserRoleRuleContract {
}
