package dev.parley.server.messaging;

class MessagingH2Test extends MessagingContract {
}
