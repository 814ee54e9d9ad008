package dev.parley.server.web;

class UiSecurityH2Test extends UiSecurityContract {
}
