package dev.parley.server.media.templatesync;

import dev.parley.server.support.OnPostgres;

@OnPostgres
class TemplateSchedulePostgresTest extends TemplateScheduleContract {
}
