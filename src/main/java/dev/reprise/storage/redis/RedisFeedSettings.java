package dev.reprise.storage.redis;

import java.time.Duration;

/**
 * How the feed reads: how long one XREAD blocks at most (a watch unblocks it at once; the time-out
 * only bounds how long a lost unblock can delay one), and how many entries per stream it takes.
 */
record RedisFeedSettings(Duration block, int count) {
  static final RedisFeedSettings DEFAULT = new RedisFeedSettings(Duration.ofSeconds(5), 1024);
}
