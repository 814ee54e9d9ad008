package dev.parley.server.sandbox;

class SandboxH2Test extends SandboxContract {
}
