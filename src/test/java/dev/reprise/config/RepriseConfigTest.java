package dev.reprise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepriseConfigTest {

  private static RepriseConfig config(Map<String, String> env) {
    return RepriseConfig.fromEnvironment(env);
  }

  @Test
  void unset_variables_take_their_defaults() {
    RepriseConfig config = config(Map.of());

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.offlineDelay()).isEqualTo(Duration.ofMillis(20));
    assertThat(config.benchModel()).isFalse();
    assertThat(config.heartbeat()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.streamRetention()).isEqualTo(Duration.ofHours(24));
    assertThat(config.maxConcurrentRuns())
        .isEqualTo(
            RepriseConfig.defaultMaxConcurrentRuns(
                Runtime.getRuntime().maxMemory(),
                Runtime.getRuntime().availableProcessors(),
                false));
    assertThat(config.sqliteSync()).isEqualTo(SqliteSync.NORMAL);
    assertThat(config.models().defaultModel()).isEqualTo("offline");
    assertThat(config.serverSecret()).isEmpty();
    assertThat(config.maxBodyBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(config.stopWait()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void blank_variables_count_as_unset() {
    RepriseConfig config = config(Map.of("REPRISE_PORT", "  ", "REPRISE_SERVER_SECRET", ""));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.serverSecret()).isEmpty();
  }

  @Test
  void set_variables_are_read() {
    String secret = "0123456789abcdef0123456789abcdef";
    RepriseConfig config =
        config(
            Map.of(
                "REPRISE_HOST", "127.0.0.1",
                "REPRISE_PORT", " 9090 ",
                "REPRISE_DATA_DIR", "/var/lib/reprise",
                "REPRISE_OFFLINE_DELAY_MS", "0",
                "REPRISE_HEARTBEAT_MS", "250",
                "REPRISE_MAX_CONCURRENT_RUNS", "3",
                "REPRISE_SQLITE_SYNC", "full",
                "REPRISE_DEFAULT_MODEL", "offline",
                "REPRISE_SERVER_SECRET", secret,
                "REPRISE_STOP_WAIT_MS", "1500"));

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/reprise"));
    assertThat(config.offlineDelay()).isZero();
    assertThat(config.heartbeat()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.maxConcurrentRuns()).isEqualTo(3);
    assertThat(config.sqliteSync()).isEqualTo(SqliteSync.FULL);
    assertThat(config.models().defaultModel()).isEqualTo("offline");
    assertThat(config.serverSecret()).isEqualTo(Optional.of(secret));
    assertThat(config.stopWait()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void the_node_id_is_the_configured_name_or_pid_at_host_then_eight_random_hex_digits() {
    String pidAtHost = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();

    assertThat(config(Map.of()).cluster().nodeId())
        .matches(java.util.regex.Pattern.quote(pidAtHost) + "-[0-9a-f]{8}")
        .contains("@");
    assertThat(config(Map.of("REPRISE_NODE_ID", "node-a")).cluster().nodeId())
        .matches("node-a-[0-9a-f]{8}");
  }

  @Test
  void the_bench_model_is_turned_on_by_its_variable() {
    assertThat(config(Map.of("REPRISE_BENCH_MODEL", "true")).benchModel()).isTrue();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "REPRISE_PORT, abc",
    "REPRISE_PORT, 70000",
    "REPRISE_PORT, -1",
    "REPRISE_PORT, 99999999999",
    "REPRISE_OFFLINE_DELAY_MS, -1",
    "REPRISE_OFFLINE_DELAY_MS, 20ms",
    "REPRISE_BENCH_MODEL, sometimes",
    "REPRISE_HEARTBEAT_MS, 0",
    "REPRISE_STREAM_RETENTION, forever",
    "REPRISE_STREAM_RETENTION, 24",
    "REPRISE_STREAM_RETENTION, -5m",
    "REPRISE_STREAM_RETENTION, 0s",
    "REPRISE_SQLITE_SYNC, sometimes",
    "REPRISE_SERVER_SECRET, too-short-a-secret",
    "REPRISE_MAX_CONCURRENT_RUNS, 0",
    "REPRISE_MAX_CONCURRENT_RUNS, many",
    "REPRISE_MAX_BODY_BYTES, 100",
    "REPRISE_STOP_WAIT_MS, 0",
    "REPRISE_WEB_DIR, /no/such/web/dist",
    "REPRISE_HTTP_READ_TIMEOUT, 50ms",
    "REPRISE_HTTP_READ_TIMEOUT, soon",
    "REPRISE_HTTP_IDLE_TIMEOUT, 500ms",
    "REPRISE_HTTP_RESUME_CONCURRENCY, 0",
    "REPRISE_HTTP_RESUME_CONCURRENCY, four",
    "REPRISE_LOG_FORMAT, JSON",
    "REPRISE_LOG_FORMAT, xml",
    "REPRISE_ACCESS_LOG, maybe",
    "REPRISE_METRICS_ENABLED, sometimes",
    "REPRISE_METRICS_PORT, abc",
    "REPRISE_METRICS_PORT, 70000",
    "REPRISE_METRICS_TOKEN, short",
    "OTEL_EXPORTER_OTLP_ENDPOINT, collector:4318",
    "REPRISE_TOOL_APPROVALS, perhaps",
  })
  void a_bad_value_is_refused_naming_its_variable(String variable, String value) {
    assertThatThrownBy(() -> config(Map.of(variable, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(variable);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"500ms, PT0.5S", "30s, PT30S", "15m, PT15M", "24h, PT24H", "7d, PT168H", "2H, PT2H"})
  void stream_retention_is_a_duration_with_a_unit(String value, Duration expected) {
    assertThat(config(Map.of("REPRISE_STREAM_RETENTION", value)).streamRetention())
        .isEqualTo(expected);
  }

  @Test
  void a_secret_of_32_characters_is_accepted() {
    String secret = "x".repeat(32);

    assertThat(config(Map.of("REPRISE_SERVER_SECRET", secret)).serverSecret()).contains(secret);
  }

  @Test
  void an_out_of_range_duration_is_refused_naming_its_variable() {
    for (String value : new String[] {"99999999999999999999d", "200000000000000d"}) {
      assertThatThrownBy(() -> config(Map.of("REPRISE_STREAM_RETENTION", value)))
          .as(value)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("REPRISE_STREAM_RETENTION");
    }
  }

  @Test
  void the_default_run_slots_follow_the_cores_or_the_heap_whichever_is_fewer_from_64_to_10000() {
    assertThat(RepriseConfig.defaultMaxConcurrentRuns(16L << 20, 64, false)).isEqualTo(64);
    assertThat(RepriseConfig.defaultMaxConcurrentRuns(1L << 30, 64, false)).isEqualTo(2048);
    assertThat(RepriseConfig.defaultMaxConcurrentRuns(2L << 30, 64, false)).isEqualTo(4096);
    assertThat(RepriseConfig.defaultMaxConcurrentRuns(1L << 30, 2, false)).isEqualTo(1000);
    assertThat(RepriseConfig.defaultMaxConcurrentRuns(1L << 30, 0, false)).isEqualTo(500);
    assertThat(RepriseConfig.defaultMaxConcurrentRuns(64L << 30, 16, false)).isEqualTo(8000);
    assertThat(RepriseConfig.defaultMaxConcurrentRuns(64L << 30, 64, false)).isEqualTo(10_000);
  }

  @Test
  void shared_storage_halves_the_default_run_slots_per_core() {
    assertThat(RepriseConfig.defaultMaxConcurrentRuns(1L << 30, 2, true)).isEqualTo(500);
    assertThat(RepriseConfig.defaultMaxConcurrentRuns(64L << 30, 16, true)).isEqualTo(4000);
    assertThat(RepriseConfig.defaultMaxConcurrentRuns(1L << 30, 64, true)).isEqualTo(2048);

    RepriseConfig shared =
        config(
            Map.of(
                "REPRISE_DATABASE_URL",
                "jdbc:postgresql://127.0.0.1:5432/test",
                "REPRISE_SERVER_SECRET",
                "a-secret-shared-by-every-node-of-the-cluster"));

    assertThat(shared.maxConcurrentRuns())
        .isEqualTo(
            RepriseConfig.defaultMaxConcurrentRuns(
                Runtime.getRuntime().maxMemory(),
                Runtime.getRuntime().availableProcessors(),
                true));
  }
}
