package dev.parley.server.secret;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class CredentialKeyRotationPostgresTest extends CredentialKeyRotationContract {
}
