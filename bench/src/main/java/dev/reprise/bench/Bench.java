package dev.reprise.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The harness: starts each system under test, runs the scenarios against it with the load client
 * in this JVM, stops it, and writes docs/benchmarks.md. bench/run builds everything and calls this
 * with system properties (see bench/README.md).
 */
public final class Bench {
  /** reprise's REPRISE_MAX_CONCURRENT_RUNS, when set (BENCH_MAX_RUNS); else reprise's default. */
  static final String MAX_CONCURRENT_RUNS = System.getProperty("bench.maxRuns", "");
  static final String REPRISE_JVM_FLAGS =
      System.getProperty("bench.repriseJvm", "-Xms256m -Xmx1g -XX:+UseG1GC");

  final String mode = System.getProperty("bench.mode", "quick");
  final boolean full = mode.equals("full");
  final Path repriseJar = Path.of(System.getProperty("bench.repriseJar"));
  final Path nodeDir = Path.of(System.getProperty("bench.nodeDir"));
  final Path work = Path.of(System.getProperty("bench.work"));
  final Path out = Path.of(System.getProperty("bench.out"));
  final String pgUrl = System.getProperty("bench.pgUrl", "");
  final String redisUrl = System.getProperty("bench.redisUrl", "redis://127.0.0.1:6379");
  final String redisPrefix = System.getProperty("bench.redisPrefix", "bench5:");
  final String systems = System.getProperty("bench.systems", "");
  final String java = System.getProperty("java.home") + "/bin/java";
  final String classpath = System.getProperty("java.class.path");
  final List<Process> processes = new ArrayList<>();
  final int chunks = full ? 600 : 150;
  final int[] fanWatchers = fanWatchers(full);
  final int[] manyRuns = full ? new int[] {10, 25, 50, 100, 200} : new int[] {20};
  final int perRun = 10;
  final int replays = Integer.getInteger("bench.replays", full ? 20 : 5);
  final int manyChunks = full ? 250 : 100;
  /** Durable Streams rows (section 7): fan-out W, writers, appends window, catch-up size. */
  final int[] dsWatchers = full ? new int[] {100, 1_000} : new int[] {100};
  final int[] dsWriters = full ? new int[] {1, 16, 64} : new int[] {16};
  final double dsAppendSeconds = full ? 3 : 2;
  final int catchUpChunks = 10_000;
  /** The chat ladder (section 8): M steps, deltas per run (30 ms apart), one resumer per 10 runs. */
  final int[] ladderRuns = ladderRuns(full);
  final int ladderChunks = 200;
  static final int LADDER_INTERVAL = 30;

  static int[] ladderRuns(boolean full) {
    String asked = System.getProperty("bench.ladder", "");
    if (!asked.isBlank()) {
      return Arrays.stream(asked.split(",")).mapToInt(Integer::parseInt).toArray();
    }
    return full ? new int[] {100, 250, 500, 1_000, 2_000, 4_000} : new int[] {100, 250};
  }

  static int[] fanWatchers(boolean full) {
    String asked = System.getProperty("bench.watchers", "");
    if (!asked.isBlank()) {
      return Arrays.stream(asked.split(",")).mapToInt(Integer::parseInt).toArray();
    }
    return full ? new int[] {100, 1_000, 2_000, 5_000} : new int[] {100, 1_000};
  }
  final Report report = new Report();

  public static void main(String[] args) throws Exception {
    Bench bench = new Bench();
    Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll));
    try {
      bench.run();
    } finally {
      bench.stopAll();
    }
  }

  final String scenarios = System.getProperty("bench.scenarios", "");

  boolean scenario(String name) {
    return scenarios.isBlank() || Arrays.asList(scenarios.split(",")).contains(name);
  }

  boolean wanted(String system) {
    return systems.isBlank() || Arrays.asList(systems.split(",")).contains(system);
  }

  void log(String message) {
    System.err.printf("[bench %s] %s%n", Instant.now().toString().substring(11, 19), message);
  }

  void run() throws Exception {
    Files.createDirectories(work);
    report.mode = mode;
    report.started = Instant.now();
    report.loadAtStart = ProcSampler.loadAverage();
    report.repriseJvmFlags = REPRISE_JVM_FLAGS;
    // why: the report is committed; the checkout's absolute path says nothing to its readers.
    String root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize().toString();
    report.clientJvmFlags =
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
            .replace(root + "/", "")
            .replace(root, ".");
    report.environment = Environment.describe(nodeDir, redisUrl, pgUrl);
    long redisPid = Environment.redisPid(redisUrl);
    List<Long> redisPids = redisPid > 0 ? List.of(redisPid) : List.of();

    // ---- floor
    if (wanted("floor")) {
      Target.Floor floor = new Target.Floor("trivial Java NIO broadcast (client floor)", 19083);
      Process p = start("floor", List.of(java, "-Xmx1g", "-cp", classpath, "dev.reprise.bench.FloorServer", "19083"), Map.of(), nodeDir);
      floor.pids = List.of(p.pid());
      awaitHealthy(floor.port, "/health");
      fanOut(floor, fanWatchers, chunks);
      stop(p);
    }
    if (wanted("nodefloor")) {
      Target.Floor floor = new Target.Floor("trivial Node broadcast", 19086);
      Process p = start("node-floor", List.of("node", "floor-server.mjs"), Map.of("PORT", "19086"), nodeDir);
      floor.pids = List.of(p.pid());
      awaitHealthy(floor.port, "/health");
      fanOut(floor, fanWatchers, chunks);
      if (full) {
        ladder(floor);
      }
      stop(p);
    }

    // ---- reprise, embedded
    if (wanted("embedded")) {
      Path data = work.resolve("reprise-embedded");
      Map<String, String> env = repriseEnv(19080, data);
      Target.Reprise reprise = new Target.Reprise("reprise embedded (SQLite)", 19080, apiKey(env));
      Process p = startReprise("reprise-embedded", env);
      reprise.pids = List.of(p.pid());
      awaitHealthy(reprise.port, "/health");
      warmUp(reprise);
      repriseScenarios(reprise, p.pid(), true);
      stop(p);
      uncoalescedRunAppends(reprise.name, "reprise-embedded-uncoalesced",
          repriseEnv(19080, work.resolve("reprise-embedded-uncoalesced")));
    }

    // ---- reprise, PostgreSQL + Redis
    if (wanted("cluster") && !pgUrl.isBlank()) {
      Map<String, String> env = repriseEnv(19084, work.resolve("reprise-cluster"));
      env.put("REPRISE_DATABASE_URL", pgUrl);
      env.put("REPRISE_REDIS_URL", redisUrl);
      env.put("REPRISE_REDIS_PREFIX", redisPrefix + "reprise:");
      Target.Reprise reprise = new Target.Reprise("reprise PostgreSQL+Redis", 19084, apiKey(env));
      Process p = startReprise("reprise-cluster", env);
      reprise.pids = List.of(p.pid());
      reprise.redisPids = redisPids;
      awaitHealthy(reprise.port, "/health");
      warmUp(reprise);
      repriseScenarios(reprise, p.pid(), full);
      stop(p);
      env.put("REPRISE_DATA_DIR", work.resolve("reprise-cluster-uncoalesced").toString());
      uncoalescedRunAppends(reprise.name, "reprise-cluster-uncoalesced", env);
    }

    // ---- resumable-stream
    if (wanted("rs")) {
      Target.ResumableStream rs = new Target.ResumableStream("resumable-stream + Redis (Node)", 19081);
      Process p = start("resumable-stream", List.of("node", "rs-server.mjs"),
          Map.of("PORT", "19081", "REDIS_URL", redisUrl, "RS_KEY_PREFIX", redisPrefix + "rs"), nodeDir);
      rs.pids = List.of(p.pid());
      rs.redisPids = redisPids;
      awaitHealthy(rs.port, "/health");
      fanOut(rs, fanWatchers, chunks);
      if (full) {
        manyRuns(rs, manyRuns, perRun, manyChunks);
        ladder(rs);
      }
      report.replays.add(Scenarios.replay(rs, 10_000, 3, "late resume of an open 10,000-chunk stream (a finished one answers 204)"));
      log("replay " + report.replays.getLast());
      stop(p);
    }

    // ---- Durable Streams: in-memory (the reference server's default) for fan-out, replay and
    // catch-up; both storage modes for appends (file-backed fdatasyncs every append).
    if (wanted("ds")) {
      Target.DurableStreams mem = new Target.DurableStreams("Durable Streams Node server (memory)", 19082);
      Process m = start("durable-streams-memory", List.of("node", "ds-server.mjs"),
          Map.of("PORT", "19082", "DS_MEMORY", "1"), nodeDir);
      mem.pids = List.of(m.pid());
      awaitHealthy(mem.port, null);
      dsWarmUp(mem, true);
      // why: only the W that section 7 compares (100 and 1,000; quick: 100). From W = 1,000 on it
      // falls behind (its appends slow down under SSE load), and at 2,000 and 5,000 each row ran into
      // the harness's bound (30-43 s): time that the full run's budget needs for the chat ladder.
      for (int w : dsWatchers) {
        FanOut.Result r = FanOut.run(mem, 1, w, chunks, 20, 30_000);
        report.fanOut.add(r);
        if (Arrays.stream(dsWatchers).anyMatch(x -> x == w)) {
          report.dsFanOut.add(r);
        }
        log("fan-out " + r);
        Thread.sleep(1_000);
      }
      report.replays.add(Scenarios.replay(mem, 10_000, replays, "closed stream, SSE from offset -1"));
      log("replay " + report.replays.getLast());
      dsCatchUp(mem);
      for (int writers : dsWriters) {
        report.appends.add(Scenarios.dsAppends(mem, writers, dsAppendSeconds));
        report.dsAppends.add(report.appends.getLast());
        log("appends " + report.appends.getLast());
      }
      stop(m);
      Target.DurableStreams file = new Target.DurableStreams("Durable Streams Node server (file, fdatasync per append)", 19085);
      Process p = start("durable-streams-file", List.of("node", "ds-server.mjs"),
          Map.of("PORT", "19085", "DS_DATA_DIR", work.resolve("ds-data").toString()), nodeDir);
      file.pids = List.of(p.pid());
      awaitHealthy(file.port, null);
      dsWarmUp(file, false);
      for (int writers : dsWriters) {
        report.appends.add(Scenarios.dsAppends(file, writers, dsAppendSeconds));
        report.dsAppends.add(report.appends.getLast());
        log("appends " + report.appends.getLast());
      }
      stop(p);
    }

    // ---- stream log appends in process
    if (wanted("appends")) {
      for (int writers : full ? new int[] {1, 16, 64} : new int[] {1, 16}) {
        logAppend("sqlite", writers, full ? 3 : 2);
        if (full) {
          logAppend("sqlite-full", writers, 3);
        }
        if (full || wanted("redis")) {
          logAppend("redis", writers, full ? 3 : 2);
        }
      }
    }

    // ---- JMH
    if (wanted("jmh")) {
      report.jmh = Jmh.run(full, java, classpath);
      log("jmh done");
    }
    report.finished = Instant.now();
    report.loadAtEnd = ProcSampler.loadAverage();
    Path analysis = Path.of(System.getProperty("bench.analysis", "bench/analysis.md"));
    Files.writeString(out, report.markdown(Files.exists(analysis) ? Files.readString(analysis) : ""));
    log("wrote " + out);
  }

  void fanOut(Target target, int[] watchers, int chunks) throws Exception {
    for (int w : watchers) {
      FanOut.Result r = FanOut.run(target, 1, w, chunks, 20, 30_000);
      report.fanOut.add(r);
      log("fan-out " + r);
      Thread.sleep(1_000);
    }
  }

  /**
   * The reprise scenarios that {@code BENCH_SCENARIOS} selects (all by default); beyond fan-out only
   * when {@code beyondFanOut}.
   */
  void repriseScenarios(Target.Reprise reprise, long pid, boolean beyondFanOut) throws Exception {
    if (scenario("fanout")) {
      fanOut(reprise, fanWatchers, chunks);
    }
    if (!beyondFanOut) {
      return;
    }
    if (scenario("many")) {
      manyRuns(reprise, manyRuns, perRun, manyChunks);
    }
    if (scenario("replay")) {
      report.replays.add(Scenarios.replay(reprise, 10_000, replays, "finished run, ?startIndex=0"));
      log("replay " + report.replays.getLast());
    }
    if (scenario("runappends")) {
      report.appends.add(Scenarios.repriseRunAppends(reprise, full ? 16 : 4, runAppendChunks(), true));
      log("run appends " + report.appends.getLast());
    }
    if (scenario("ds")) {
      durableStreams(repriseDs(reprise));
    }
    if (scenario("ladder")) {
      ladder(reprise);
    }
    if (Arrays.asList(scenarios.split(",")).contains("runmem")) {
      // why: only when named (it takes a minute and 4,000 runs): BENCH_SCENARIOS=runmem.
      log("run memory " + Scenarios.runMemory(reprise, 4_000, 60, 250, pid));
    }
    if (scenario("idle")) {
      report.idle.add(Scenarios.idle(reprise, full ? 10_000 : 1_000, pid));
      log("idle " + report.idle.getLast());
    }
  }

  /**
   * reprise speaking Durable Streams (section 7), in the order the Node server's rows run:
   * fan-out, catch-up, appends.
   */
  void durableStreams(Target.DurableStreams ds) throws Exception {
    dsWarmUp(ds, true);
    for (int w : dsWatchers) {
      FanOut.Result r = FanOut.run(ds, 1, w, chunks, 20, 30_000);
      report.dsFanOut.add(r);
      log("ds fan-out " + r);
      Thread.sleep(1_000);
    }
    dsCatchUp(ds);
    for (int writers : dsWriters) {
      report.dsAppends.add(Scenarios.dsAppends(ds, writers, dsAppendSeconds));
      log("ds appends " + report.dsAppends.getLast());
    }
  }

  void dsCatchUp(Target.DurableStreams ds) throws Exception {
    report.dsCatchUps.add(Scenarios.dsCatchUp(ds, catchUpChunks, replays));
    log("ds catch-up " + report.dsCatchUps.getLast());
  }

  /**
   * The same unreported warm-up for every Durable Streams server: a 100-chunk fan-out to 50
   * watchers where fan-out is measured, and a second of appends by 16 writers (the JIT of either
   * runtime, connection pools).
   */
  void dsWarmUp(Target.DurableStreams ds, boolean fanOut) throws Exception {
    if (fanOut) {
      log("ds warm-up " + FanOut.run(ds, 1, 50, 100, 5, 20_000));
    }
    log("ds warm-up " + Scenarios.dsAppends(ds, 16, 1.0));
  }

  private static final Pattern CAPABILITY_URL = Pattern.compile("\"url\":\"([^\"]+)\"");

  /**
   * reprise's Durable Streams through a capability URL (scope manage, one day): like the Node
   * server's {@code /v1/stream/{path}}, with no credentials per request.
   */
  Target.DurableStreams repriseDs(Target.Reprise reprise) throws IOException {
    try (Http1 http = new Http1(Target.HOST, reprise.port)) {
      Http1.Response r =
          http.send("POST", "/api/streams/capabilities", "{\"scope\":\"manage\",\"ttlSeconds\":86400}",
              "x-api-key", reprise.apiKey, "Content-Type", "application/json");
      Matcher m = CAPABILITY_URL.matcher(r.body());
      if (r.status() / 100 != 2 || !m.find()) {
        throw new IOException("capability URL: " + r.status() + " " + r.body());
      }
      Target.DurableStreams ds =
          new Target.DurableStreams(reprise.name + ", Durable Streams", reprise.port, m.group(1));
      ds.pids = reprise.pids;
      ds.redisPids = reprise.redisPids;
      return ds;
    }
  }

  /**
   * The chat ladder: M = 100, 250, 500, ... concurrent runs until the first step with e2e p99 over
   * 50 ms or a failure (reported too).
   */
  void ladder(Target target) throws Exception {
    for (int m : ladderRuns) {
      Ladder.Result r = Ladder.run(target, m, 10, ladderChunks, LADDER_INTERVAL, 60_000);
      report.ladder.add(r);
      log("ladder " + r);
      // why: the step's closed connections and garbage settle before the next step.
      Thread.sleep(1_000);
      // why: an explicit BENCH_LADDER list (a profiling or warm-up run) runs every step it names.
      if (!r.passed() && System.getProperty("bench.ladder", "").isBlank()) {
        break;
      }
    }
  }

  void manyRuns(Target target, int[] runs, int perRun, int chunks) throws Exception {
    for (int m : runs) {
      FanOut.Result r = FanOut.run(target, m, perRun, chunks, 20, 20_000);
      report.manyRuns.add(r);
      log("many runs " + r);
      Thread.sleep(1_000);
      if (r.p99() >= 50 || r.failures() > 0) {
        break;
      }
    }
  }

  /** Chunks per run of appends through runs: long enough that starting the runs is a small part. */
  int runAppendChunks() {
    return full ? 50_000 : 2_000;
  }

  /**
   * Appends through runs again, on a node of its own with coalescing off, so that every delta is a
   * log entry of its own (the default merges the deltas that queue behind a write). Full runs only.
   */
  void uncoalescedRunAppends(String system, String name, Map<String, String> env) throws Exception {
    if (!full || !scenario("runappends")) {
      return;
    }
    Map<String, String> off = new HashMap<>(env);
    off.put("REPRISE_COALESCE_MS", "off");
    Files.createDirectories(Path.of(off.get("REPRISE_DATA_DIR")));
    int port = Integer.parseInt(off.get("REPRISE_PORT"));
    Target.Reprise reprise = new Target.Reprise(system, port, apiKey(off));
    Process p = startReprise(name, off);
    reprise.pids = List.of(p.pid());
    awaitHealthy(port, "/health");
    log("warm-up " + Scenarios.repriseRunAppends(reprise, 4, 2_000, false));
    report.appends.add(Scenarios.repriseRunAppends(reprise, 16, runAppendChunks(), false));
    log("run appends " + report.appends.getLast());
    stop(p);
  }

  void warmUp(Target target) throws Exception {
    FanOut.Result r = FanOut.run(target, 4, 50, 100, 5, 20_000);
    log("warm-up " + r);
  }

  void logAppend(String backend, int writers, double seconds) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(Arrays.asList(REPRISE_JVM_FLAGS.split(" ")));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(List.of("-cp", classpath, "dev.reprise.bench.LogAppend", backend));
    if (backend.startsWith("sqlite")) {
      Path dir = work.resolve("append-" + System.nanoTime());
      Files.createDirectories(dir);
      command.add(dir.toString());
    } else {
      command.add(redisUrl);
      command.add(redisPrefix + "append:");
    }
    command.add(Integer.toString(writers));
    command.add(Double.toString(seconds));
    String load = ProcSampler.loadAverage();
    Process p = new ProcessBuilder(command).redirectError(work.resolve("append.log").toFile()).start();
    String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(120, TimeUnit.SECONDS);
    String[] f = line.split(" ");
    long n = Long.parseLong(f[0]);
    double s = Double.parseDouble(f[1]);
    report.appends.add(new Scenarios.Appends(
        switch (backend) {
          case "sqlite" -> "reprise stream log: SQLite (synchronous=NORMAL)";
          case "sqlite-full" -> "reprise stream log: SQLite (synchronous=FULL, fsync per commit)";
          default -> "reprise stream log: Redis (Lua append)";
        },
        "StreamLog.append in process", writers, s, n, n / s, Double.NaN, 0, null, load));
    log("log appends " + report.appends.getLast());
  }

  // ---------------------------------------------------------------- processes

  Map<String, String> repriseEnv(int port, Path data) throws IOException {
    Files.createDirectories(data);
    Map<String, String> env = new HashMap<>();
    env.put("REPRISE_HOST", "127.0.0.1");
    env.put("REPRISE_PORT", Integer.toString(port));
    env.put("REPRISE_DATA_DIR", data.toString());
    env.put("REPRISE_SERVER_SECRET", "bench-secret-0123456789abcdefghijklmnopqrstuvwxyz");
    // why: the ladder measures what an operator gets, so reprise admits runs as its default does,
    // unless BENCH_MAX_RUNS asks otherwise (to measure past the default).
    if (!MAX_CONCURRENT_RUNS.isBlank()) {
      env.put("REPRISE_MAX_CONCURRENT_RUNS", MAX_CONCURRENT_RUNS);
    }
    env.put("REPRISE_DRAIN_TIMEOUT", "1s");
    env.put("REPRISE_LOG_LEVEL", "WARN");
    // why: reprise offers the bench model (the load this harness sends) only when asked to.
    env.put("REPRISE_BENCH_MODEL", "true");
    // why: the benchmark is one account with thousands of readers and runs, like one key in front
    // of many users; the per-account limits would answer most of them 429. (Builds before the
    // limits took "off" refuse to start with it.)
    env.put("REPRISE_LIMIT_LIVE_RUNS", "off");
    env.put("REPRISE_LIMIT_RUNS_PER_MINUTE", "off");
    env.put("REPRISE_LIMIT_STREAM_READERS", "off");
    // why: to measure a setting against its default (BENCH_REPRISE_ENV="REPRISE_X=1,REPRISE_Y=2").
    for (String pair : System.getProperty("bench.repriseEnv", "").split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        env.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    }
    return env;
  }

  String apiKey(Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", repriseJar.toString(), "keys", "create", "--account", "bench"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(work.resolve("keys.log").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keys create failed: " + output);
    }
    String[] lines = output.split("\n");
    return lines[lines.length - 1].trim();
  }

  Process startReprise(String name, Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(Arrays.asList(REPRISE_JVM_FLAGS.split(" ")));
    String extra = System.getProperty("bench.repriseExtra", "");
    if (!extra.isBlank()) {
      command.addAll(Arrays.asList(extra.replace("{name}", name).split(" ")));
    }
    command.addAll(List.of("-jar", repriseJar.toString(), "serve"));
    return start(name, command, env, work);
  }

  Process start(String name, List<String> command, Map<String, String> env, Path dir) throws IOException {
    log("starting " + name + ": " + String.join(" ", command));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    File logFile = work.resolve(name + ".log").toFile();
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile));
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  void awaitHealthy(int port, String path) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try (Http1 http = new Http1(Target.HOST, port)) {
        if (path == null) {
          http.send("GET", "/v1/stream/__health__", null);
          return;
        }
        if (http.send("GET", path, null).status() == 200) {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(200);
    }
    throw new IOException("server on port " + port + " did not come up");
  }

  void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    processes.remove(p);
  }

  void stopAll() {
    for (Process p : new ArrayList<>(processes)) {
      try {
        stop(p);
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }

  static String fmt(Duration d) {
    return d.toMinutes() + " min " + d.toSecondsPart() + " s";
  }

  static Map<String, String> ordered() {
    return new LinkedHashMap<>();
  }
}
