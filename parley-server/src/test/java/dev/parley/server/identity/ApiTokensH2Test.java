package dev.parley.server.identity;

class ApiTokensH2Test extends ApiTokensContract {
}
