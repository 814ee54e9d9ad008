package dev.parley.server.media.templatesync;

class TemplateScheduleH2Test extends TemplateScheduleContract {
}
