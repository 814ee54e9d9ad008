package dev.parley.server.sending;

import dev.parley.server.support.OnPostgres;

/** {@link ComposeJourneyBrowserContract} on PostgreSQL (the shared PostgreSQL context: no extra Spring context). */
@OnPostgres
class ComposeJourneyPostgresBrowserTest extends ComposeJourneyBrowserContract {
}
