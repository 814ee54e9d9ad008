package dev.parley.server.sending;

class StatusesEndToEndH2Test extends StatusesEndToEndContract {
}
