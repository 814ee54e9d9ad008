package dev.parley.server.channel;

class ChannelGraphH2Test extends ChannelGraphContract {
}
