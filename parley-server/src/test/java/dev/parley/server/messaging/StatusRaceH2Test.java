package dev.parley.server.messaging;

class StatusRaceH2Test extends StatusRaceContract {
}
