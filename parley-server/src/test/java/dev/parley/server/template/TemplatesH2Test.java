package dev.parley.server.template;

class TemplatesH2Test extends TemplatesContract {
}
