package dev.parley.server.identity;

class OrgIsolationH2Test extends OrgIsolationContract {
}
