package dev.parley.server.template;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class TemplatesPostgresTest extends TemplatesContract {
}
