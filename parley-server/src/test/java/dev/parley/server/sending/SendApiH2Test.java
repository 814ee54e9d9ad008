package dev.parley.server.sending;

class SendApiH2Test extends SendApiContract {
}
