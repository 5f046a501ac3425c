package dev.reprise.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything reprise can be told, read from {@code REPRISE_*} environment variables and validated
 * at start-up. docs/configuration.md lists each variable; keep the two in step.
 */
public record RepriseConfig(
    String host,
    int port,
    Path dataDir,
    Duration offlineDelay,
    boolean benchModel,
    Duration heartbeat,
    Duration streamRetention,
    int maxConcurrentRuns,
    SqliteSync sqliteSync,
    ModelsConfig models,
    Optional<String> serverSecret,
    List<String> previousServerSecrets,
    int maxBodyBytes,
    Duration stopWait,
    Duration drainTimeout,
    ClusterConfig cluster,
    JwtConfig jwt,
    LimitsConfig limits,
    HttpConfig http,
    MetricsConfig metrics,
    TracingConfig tracing,
    LogConfig log,
    DurableConfig durable,
    CoalesceConfig coalesce,
    Optional<Path> webDir) {

  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_DATA_DIR = "./data";
  public static final Duration DEFAULT_OFFLINE_DELAY = Duration.ofMillis(20);
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

  /** The fewest and the most runs the default lets one node execute at once. */
  public static final int MIN_DEFAULT_RUNS = 64;

  public static final int MAX_DEFAULT_RUNS = 10_000;

  /**
   * Runs per core the default allows on the embedded default: what one core streams at a fast
   * model's pace.
   */
  public static final int DEFAULT_RUNS_PER_CORE = 500;

  /**
   * Runs per core the default allows with shared storage (PostgreSQL, Redis), where each delta
   * costs the node about a third more: the round trips' CPU.
   */
  public static final int DEFAULT_SHARED_RUNS_PER_CORE = 250;

  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
  public static final Duration DEFAULT_STOP_WAIT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

  public RepriseConfig {
    if (port < 0 || port > 65535) {
      throw new ConfigException("REPRISE_PORT must be between 0 and 65535, got " + port);
    }
    requirePositive("REPRISE_HEARTBEAT_MS", heartbeat);
    requirePositive("REPRISE_STREAM_RETENTION", streamRetention);
    requirePositive("REPRISE_STOP_WAIT_MS", stopWait);
    if (drainTimeout.isNegative()) {
      throw new ConfigException("REPRISE_DRAIN_TIMEOUT must not be negative");
    }
    if (offlineDelay.isNegative()) {
      throw new ConfigException("REPRISE_OFFLINE_DELAY_MS must be 0 or more");
    }
    if (maxConcurrentRuns < 1) {
      throw new ConfigException("REPRISE_MAX_CONCURRENT_RUNS must be at least 1");
    }
    if (maxBodyBytes < 1024) {
      throw new ConfigException("REPRISE_MAX_BODY_BYTES must be at least 1024");
    }
    if (serverSecret.isPresent() && serverSecret.get().length() < 32) {
      throw new ConfigException("REPRISE_SERVER_SECRET must be at least 32 characters");
    }
    if (cluster.shared() && serverSecret.isEmpty()) {
      throw new ConfigException(
          "REPRISE_SERVER_SECRET is required with REPRISE_DATABASE_URL: every node must hash API keys"
              + " under the same secret");
    }
    previousServerSecrets = List.copyOf(previousServerSecrets);
    if (webDir.isPresent() && !java.nio.file.Files.isDirectory(webDir.get())) {
      throw new ConfigException(
          "REPRISE_WEB_DIR must name a directory holding the built page (web/dist), got "
              + webDir.get());
    }
    if (!previousServerSecrets.isEmpty() && serverSecret.isEmpty()) {
      throw new ConfigException(
          "REPRISE_SERVER_SECRET_PREVIOUS needs REPRISE_SERVER_SECRET: it lists the secrets that"
              + " REPRISE_SERVER_SECRET replaced");
    }
    if (previousServerSecrets.stream().anyMatch(s -> s.length() < 32)) {
      throw new ConfigException(
          "REPRISE_SERVER_SECRET_PREVIOUS must list secrets of at least 32 characters, separated"
              + " by commas");
    }
  }

  /** Reads the configuration from environment variables; unset ones take their defaults. */
  public static RepriseConfig fromEnvironment(Map<String, String> env) {
    Env e = new Env(env);
    ClusterConfig cluster = ClusterConfig.from(e);
    return new RepriseConfig(
        e.string("REPRISE_HOST", "0.0.0.0"),
        e.integer("REPRISE_PORT", DEFAULT_PORT),
        Path.of(e.string("REPRISE_DATA_DIR", DEFAULT_DATA_DIR)),
        e.millis("REPRISE_OFFLINE_DELAY_MS", DEFAULT_OFFLINE_DELAY),
        e.bool("REPRISE_BENCH_MODEL", false),
        e.millis("REPRISE_HEARTBEAT_MS", DEFAULT_HEARTBEAT),
        e.duration("REPRISE_STREAM_RETENTION", DEFAULT_RETENTION),
        e.integer(
            "REPRISE_MAX_CONCURRENT_RUNS",
            defaultMaxConcurrentRuns(
                Runtime.getRuntime().maxMemory(),
                Runtime.getRuntime().availableProcessors(),
                cluster.shared())),
        e.choice("REPRISE_SQLITE_SYNC", SqliteSync.class, SqliteSync.NORMAL),
        ModelsConfig.fromEnvironment(env),
        e.optional("REPRISE_SERVER_SECRET"),
        e.list("REPRISE_SERVER_SECRET_PREVIOUS"),
        e.integer("REPRISE_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
        e.millis("REPRISE_STOP_WAIT_MS", DEFAULT_STOP_WAIT),
        e.duration("REPRISE_DRAIN_TIMEOUT", DEFAULT_DRAIN_TIMEOUT),
        cluster,
        JwtConfig.from(e),
        LimitsConfig.from(e),
        HttpConfig.from(e),
        MetricsConfig.from(e),
        TracingConfig.from(e),
        LogConfig.from(e),
        DurableConfig.from(e),
        CoalesceConfig.from(e),
        e.optional("REPRISE_WEB_DIR").map(Path::of));
  }

  /**
   * The fewer of 500 runs per core (250 with shared storage) and two per MiB of the JVM's largest
   * heap, from 64 to 10,000. CPU: a delta costs the node about 40 µs on the embedded default, its
   * run's start and end included (its append, its wake-ups, its socket writes), and about 55 µs
   * with PostgreSQL and Redis; on a 2-core machine 1,000 embedded answers at a fast model's 33
   * deltas a second kept their p99 under 50 ms, and 500 on PostgreSQL and Redis (benchmarks,
   * section 8); further runs wait in the queue instead. Memory: a live run holds its chunks (about
   * 60 KiB of heap for an answer of 60 chunks).
   */
  public static int defaultMaxConcurrentRuns(long maxHeapBytes, int processors, boolean shared) {
    long byMemory = (maxHeapBytes >> 20) * 2;
    int perCore = shared ? DEFAULT_SHARED_RUNS_PER_CORE : DEFAULT_RUNS_PER_CORE;
    long byCpu = (long) perCore * Math.max(1, processors);
    return (int) Math.max(MIN_DEFAULT_RUNS, Math.min(MAX_DEFAULT_RUNS, Math.min(byMemory, byCpu)));
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(name + " must be greater than 0");
    }
  }
}
