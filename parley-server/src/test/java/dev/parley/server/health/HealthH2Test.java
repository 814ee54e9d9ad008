package dev.parley.server.health;

class HealthH2Test extends HealthContract {
}
