package dev.reprise.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several reprise processes sharing a PostgreSQL schema and a Redis key prefix of their own, as
 * behind a load balancer. The first node takes the runs; the others do not look for queued work (so
 * a test knows which node executes a run) but take over runs whose node died.
 */
public final class Cluster implements AutoCloseable {
  private final String schema = TestPostgres.newSchema();
  private final String prefix = "reprise-test:" + schema + ":";
  private final String redisUrl;
  private final List<ServerProcess> nodes = new ArrayList<>();
  private final Map<String, String> extraEnv;

  private Cluster(String redisUrl, Map<String, String> extraEnv) {
    this.redisUrl = redisUrl;
    this.extraEnv = Map.copyOf(extraEnv);
  }

  /** Starts {@code size} nodes; skips (or fails in CI) without PostgreSQL or Redis. */
  public static Cluster start(int size, String redisUrl) throws Exception {
    return start(size, redisUrl, Map.of());
  }

  /** Starts {@code size} nodes with {@code extraEnv} on top of the cluster's settings. */
  public static Cluster start(int size, String redisUrl, Map<String, String> extraEnv)
      throws Exception {
    TestPostgres.require();
    TestRedis.require();
    Cluster cluster = new Cluster(redisUrl, extraEnv);
    for (int i = 0; i < size; i++) {
      String name = Character.toString('a' + i);
      cluster.nodes.add(
          ServerProcess.start(
              Files.createTempDirectory("node-" + name), cluster.env(name, i == 0)));
    }
    return cluster;
  }

  public static Cluster start(int size) throws Exception {
    return start(size, TestRedis.url());
  }

  private Map<String, String> env(String node, boolean takesRuns) {
    Map<String, String> env = new HashMap<>();
    env.put("REPRISE_DATABASE_URL", TestPostgres.url(schema));
    env.put("REPRISE_REDIS_URL", redisUrl);
    env.put("REPRISE_REDIS_PREFIX", prefix);
    env.put("REPRISE_SERVER_SECRET", "cluster-test-secret-that-is-long-enough");
    env.put("REPRISE_NODE_ID", "node-" + node);
    env.put("REPRISE_LEASE_TIMEOUT", "3s");
    env.put("REPRISE_OFFLINE_DELAY_MS", "15");
    env.put("REPRISE_POLL_INTERVAL", takesRuns ? "200ms" : "1h");
    env.put("REPRISE_LIMIT_STREAM_READERS", "200");
    env.putAll(extraEnv);
    return env;
  }

  /**
   * Starts node {@code i} again with its settings (as the first node or not), after a kill; the
   * node keeps its index. Waits until it answers.
   */
  public ServerProcess restart(int i) throws Exception {
    ServerProcess old = nodes.get(i);
    old.kill();
    String name = Character.toString('a' + i);
    ServerProcess fresh =
        ServerProcess.start(Files.createTempDirectory("node-" + name), env(name, i == 0));
    nodes.set(i, fresh);
    return fresh;
  }

  public ServerProcess node(int i) {
    return nodes.get(i);
  }

  public ApiClient client(int i) {
    return nodes.get(i).client();
  }

  public int size() {
    return nodes.size();
  }

  public String createKey(String account) {
    return nodes.getFirst().createKey(account);
  }

  @Override
  public void close() throws Exception {
    for (ServerProcess node : nodes) {
      node.close();
    }
    TestPostgres.dropSchema(schema);
    if (redisUrl.equals(TestRedis.url())) {
      TestRedis.deleteKeys(prefix);
    }
  }

  /** The directory a node writes its log to, for failure messages. */
  public static Path tempDir(String name) throws java.io.IOException {
    return Files.createTempDirectory(name);
  }
}
