package dev.parley.server.secret;

class CredentialKeyRotationH2Test extends CredentialKeyRotationContract {
}
