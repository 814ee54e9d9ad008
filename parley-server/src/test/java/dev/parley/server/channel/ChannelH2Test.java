package dev.parley.server.channel;

class ChannelH2Test extends ChannelContract {
}
