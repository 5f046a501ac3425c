package dev.reprise.testing;

import dev.reprise.app.Reprise;
import dev.reprise.config.RepriseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A real reprise server on a free port and a fresh data dir, for tests over real sockets. */
public final class RunningServer implements AutoCloseable {
  private final Reprise reprise;
  private final Path dataDir;
  private final ApiClient client;

  private RunningServer(Reprise reprise, Path dataDir) {
    this.reprise = reprise;
    this.dataDir = dataDir;
    this.client = new ApiClient("http://127.0.0.1:" + reprise.port());
  }

  /** Starts a server; {@code env} overrides the test defaults (fast offline model, port 0). */
  public static RunningServer start(Map<String, String> env) {
    try {
      Path dataDir = Files.createTempDirectory("reprise-test");
      Map<String, String> all = new HashMap<>();
      all.put("REPRISE_PORT", "0");
      all.put("REPRISE_HOST", "127.0.0.1");
      all.put("REPRISE_DATA_DIR", dataDir.toString());
      all.put("REPRISE_OFFLINE_DELAY_MS", "2");
      all.putAll(env);
      return new RunningServer(
          Reprise.start(RepriseConfig.fromEnvironment(all), Clock.systemUTC()), dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RunningServer start() {
    return start(Map.of());
  }

  public ApiClient client() {
    return client;
  }

  public String baseUrl() {
    return client.baseUrl();
  }

  public int port() {
    return reprise.port();
  }

  public int metricsPort() {
    return reprise.metricsPort().orElseThrow();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** A new API key for {@code account} (created if needed). */
  public String newKey(String account) {
    return reprise.apiKeys().create(account, "test", null).key();
  }

  /** A key that expires (or expired) at {@code expiresAt}. */
  public String newKey(String account, java.time.Instant expiresAt) {
    return reprise.apiKeys().create(account, "test", expiresAt).key();
  }

  /** Stops the server and removes its data dir. */
  @Override
  public void close() {
    reprise.close();
    deleteTree(dataDir);
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // why: a leftover temp dir is harmless; a failed clean-up must not fail the test.
    }
  }
}
