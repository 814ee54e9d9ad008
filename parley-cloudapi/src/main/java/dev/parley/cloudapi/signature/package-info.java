/**
 * {@code X-Hub-Signature-256} signing and constant-time verification over raw webhook bytes, and Meta-style
 * JSON escaping for building realistic signed bodies.
 */
package dev.parley.cloudapi.signature;
