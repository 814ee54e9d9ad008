package dev.parley.server.channel;

class IntegrationSignalsH2Test extends IntegrationSignalsContract {
}
