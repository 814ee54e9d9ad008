package dev.parley.server.audit;

class AuditH2Test extends AuditContract {
}
