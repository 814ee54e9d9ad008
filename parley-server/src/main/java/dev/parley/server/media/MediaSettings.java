package dev.parley.server.media;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The media feature's knobs ({@code parley.media.*}).
 *
 * @param root          where files live: {@code ${parley.data-dir}/media}
 * @param pollInterval  how often the downloader looks for due work it was not told about (other nodes, retries)
 * @param retryBackoff  the first retry's delay; each further retry doubles it (with jitter), up to an hour
 * @param maxAttempts   download attempts before the media is given up as {@code failed}
 * @param lease         how long a claimed download stays claimed (another node takes over after it)
 * @param maxBytes      largest inbound file accepted (Meta's own limit is 100 MB)
 */
record MediaSettings(Path root, Duration pollInterval, Duration retryBackoff, int maxAttempts, Duration lease,
                     long maxBytes) {
}
