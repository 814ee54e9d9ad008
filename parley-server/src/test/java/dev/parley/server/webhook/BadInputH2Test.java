package dev.parley.server.webhook;

class BadInputH2Test extends BadInputContract {
}
