package dev.parley.server.sending;

/** {@link ComposeJourneyBrowserContract} on the embedded H2 database. */
class ComposeJourneyH2BrowserTest extends ComposeJourneyBrowserContract {
}
