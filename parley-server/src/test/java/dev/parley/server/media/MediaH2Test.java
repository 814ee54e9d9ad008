package dev.parley.server.media;

class MediaH2Test extends MediaContract {
}
