/**
 * Typed, immutable model of WhatsApp Cloud API webhook POST bodies and a lenient parser for them
 * ({@link dev.parley.cloudapi.webhook.WebhookParser}). Unknown message types, fields and values are kept, and
 * every object that came from JSON exposes its raw tree, so new Meta payloads never break ingestion.
 */
package dev.parley.cloudapi.webhook;
