package dev.parley.server.web;

class ApiStoreOutageH2Test extends ApiStoreOutageContract {
}
