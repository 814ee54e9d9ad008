package dev.parley.server.sending;

class SendingQueueH2Test extends SendingQueueContract {
}
