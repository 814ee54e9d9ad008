package dev.parley.server.notification;

class NotificationH2Test extends NotificationContract {
}
