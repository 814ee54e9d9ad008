package dev.parley.server.identity;

class UserRoleRuleH2Test extends UserRoleRuleContract {
}
