/**
 * Shared background-work plumbing for the features: {@link dev.parley.server.jobs.PollingLoop}. It knows nothing
 * of any feature; features depend on it, never the other way round.
 */
package dev.parley.server.jobs;
