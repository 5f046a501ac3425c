package dev.reprise.config;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Where records and stream logs live when several nodes share them. Without a database URL
 * everything is embedded (SQLite in the data dir). With one, records go to PostgreSQL; with a Redis
 * URL as well, stream logs go to Redis and nodes mirror each other's streams through it.
 */
public record ClusterConfig(
    Optional<String> databaseUrl,
    Optional<String> redisUrl,
    String redisPrefix,
    String nodeId,
    Duration leaseTimeout,
    Duration pollInterval,
    int databasePoolSize) {

  public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

  public ClusterConfig {
    if (redisUrl.isPresent() && databaseUrl.isEmpty()) {
      throw new ConfigException(
          "REPRISE_REDIS_URL needs REPRISE_DATABASE_URL too: nodes that share stream logs must share"
              + " runs and chats");
    }
    if (redisUrl.isPresent()
        && !redisUrl.get().startsWith("redis://")
        && !redisUrl.get().startsWith("rediss://")) {
      throw new ConfigException("REPRISE_REDIS_URL must start with redis:// or rediss://");
    }
    if (leaseTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException("REPRISE_LEASE_TIMEOUT must be at least 1s");
    }
    if (pollInterval.isZero() || pollInterval.isNegative()) {
      throw new ConfigException("REPRISE_POLL_INTERVAL must be greater than 0");
    }
    if (databasePoolSize < 2) {
      throw new ConfigException("REPRISE_DATABASE_POOL_SIZE must be at least 2");
    }
  }

  /** Whether records are shared with other nodes (so runs may be taken over). */
  public boolean shared() {
    return databaseUrl.isPresent();
  }

  static ClusterConfig from(Env e) {
    return new ClusterConfig(
        e.optional("REPRISE_DATABASE_URL"),
        e.optional("REPRISE_REDIS_URL"),
        e.string("REPRISE_REDIS_PREFIX", "reprise:"),
        nodeId(e.optional("REPRISE_NODE_ID")),
        e.duration("REPRISE_LEASE_TIMEOUT", DEFAULT_LEASE_TIMEOUT),
        e.duration("REPRISE_POLL_INTERVAL", DEFAULT_POLL_INTERVAL),
        e.integer("REPRISE_DATABASE_POOL_SIZE", 16));
  }

  /**
   * The configured name (or host:pid) plus a random suffix: a restarted process is always a new
   * node, so that it never renews, and so keeps alive, the leases of runs its previous process left
   * behind.
   */
  private static String nodeId(Optional<String> configured) {
    String name = configured.orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName());
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
