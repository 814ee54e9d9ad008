package dev.parley.server.sending;

class PacingH2Test extends PacingContract {
}
