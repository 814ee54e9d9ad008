package dev.parley.server.web;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class ApiStoreOutagePostgresTest extends ApiStoreOutageContract {
}
