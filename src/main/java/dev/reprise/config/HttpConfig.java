package dev.reprise.config;

import java.time.Duration;

/**
 * How long the HTTP server waits on a client that sends nothing, and how many requests set up a
 * stream at once.
 *
 * @param readTimeout the longest wait for the next bytes of a request: its request line, its
 *     headers, its body, or the next request on a kept-alive connection; the connection is closed
 *     then
 * @param idleTimeout the longest a connection may wait for a whole request line (bytes trickled in
 *     below the read timeout included) or sit idle between requests; checked every tenth of it
 * @param setupConcurrency how many requests at once do the work before a stream's first byte
 *     (authentication, the chat and run lookups, the reader slot, a turn's admission); the others
 *     wait their turn
 */
public record HttpConfig(Duration readTimeout, Duration idleTimeout, int setupConcurrency) {
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public HttpConfig {
    if (setupConcurrency < 1) {
      throw new ConfigException("REPRISE_HTTP_SETUP_CONCURRENCY must be at least 1");
    }
    if (readTimeout.compareTo(Duration.ofMillis(100)) < 0) {
      throw new ConfigException("REPRISE_HTTP_READ_TIMEOUT must be at least 100ms");
    }
    if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException("REPRISE_HTTP_IDLE_TIMEOUT must be at least 1s");
    }
  }

  public static HttpConfig defaults() {
    return new HttpConfig(DEFAULT_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT, defaultSetupConcurrency());
  }

  /**
   * Two per core. Set-up alternates short CPU work with round trips to the stores, so two per core
   * keep the cores busy; more only interleave, and a burst of readers (a thousand reconnecting at
   * once) then holds back the live streams' writers and readers behind hundreds of half-done
   * set-ups (PostgreSQL + Redis, W = 1,000 joining a live run: p99 116-331 ms unbounded, 36-40 ms
   * with 4 on 2 cores; docs/benchmarks.md).
   */
  public static int defaultSetupConcurrency() {
    return 2 * Runtime.getRuntime().availableProcessors();
  }

  static HttpConfig from(Env e) {
    return new HttpConfig(
        e.duration("REPRISE_HTTP_READ_TIMEOUT", DEFAULT_READ_TIMEOUT),
        e.duration("REPRISE_HTTP_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
        e.integer("REPRISE_HTTP_SETUP_CONCURRENCY", defaultSetupConcurrency()));
  }
}
