package dev.parley.server.media;

class ReadReceiptsH2Test extends ReadReceiptsContract {
}
