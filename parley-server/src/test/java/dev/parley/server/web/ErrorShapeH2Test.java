package dev.parley.server.web;

class ErrorShapeH2Test extends ErrorShapeContract {
}
