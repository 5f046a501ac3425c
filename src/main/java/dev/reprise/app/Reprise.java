package dev.reprise.app;

import dev.reprise.auth.ApiKeys;
import dev.reprise.chat.ChatService;
import dev.reprise.config.RepriseConfig;
import dev.reprise.conversation.Conversations;
import dev.reprise.durable.Durable;
import dev.reprise.http.Health;
import dev.reprise.http.HttpJson;
import dev.reprise.http.HttpServer;
import dev.reprise.http.Observability;
import dev.reprise.model.ChatModel;
import dev.reprise.model.ModelRegistry;
import dev.reprise.model.ModelTelemetry;
import dev.reprise.model.OfflineModel;
import dev.reprise.model.bench.BenchModel;
import dev.reprise.protocol.Json;
import dev.reprise.run.Coalescing;
import dev.reprise.run.Ids;
import dev.reprise.run.RunRecovery;
import dev.reprise.run.RunService;
import dev.reprise.run.RunSettings;
import dev.reprise.run.RunStores;
import dev.reprise.run.RunTelemetry;
import dev.reprise.run.RunWorkers;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamReader;
import dev.reprise.web.WebAssets;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: wires storage, streams, runs, models and HTTP from the configuration. */
public final class Reprise implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reprise.class);
  private static final Duration CLOSED_STREAM_GRACE = Duration.ofMinutes(1);
  private static final Duration ORPHAN_POLL = Duration.ofMillis(250);

  private final Resources owned;
  private final RunService runService;
  private final RunWorkers workers;
  private final ApiKeys apiKeys;
  private final HttpServer server;
  private final ScheduledExecutorService janitor;
  private final Duration drainTimeout;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private Reprise(
      Resources owned,
      RunService runService,
      RunWorkers workers,
      ApiKeys apiKeys,
      HttpServer server,
      ScheduledExecutorService janitor,
      Duration drainTimeout) {
    this.owned = owned;
    this.runService = runService;
    this.workers = workers;
    this.apiKeys = apiKeys;
    this.server = server;
    this.janitor = janitor;
    this.drainTimeout = drainTimeout;
  }

  /** Opens storage, deals with runs a previous process left behind, then starts serving. */
  public static Reprise start(RepriseConfig config, Clock clock) {
    return start(config, clock, c -> Tracing.open(c.tracing(), c.cluster().nodeId()));
  }

  /** The same, with the node's tracing made by {@code tracing} (tests export spans in memory). */
  static Reprise start(
      RepriseConfig config,
      Clock clock,
      java.util.function.Function<RepriseConfig, Tracing> tracing) {
    Resources owned = new Resources();
    try {
      return start(config, clock, owned, tracing);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  private static Reprise start(
      RepriseConfig config,
      Clock clock,
      Resources owned,
      java.util.function.Function<RepriseConfig, Tracing> tracing) {
    if (!config.cluster().shared()) {
      owned.own(DataDirLock.acquire(config.dataDir()));
    }
    Ports.requireFree(config.host(), config.port(), "REPRISE_PORT or --port");
    if (config.metrics().enabled() && config.metrics().port().isPresent()) {
      Ports.requireFree(config.host(), config.metrics().port().getAsInt(), "REPRISE_METRICS_PORT");
    }
    Meters node = owned.own(Meters.open());
    PrometheusMeterRegistry meters = node.registry();
    OpenTelemetry otel = owned.own(tracing.apply(config)).openTelemetry();
    Storage storage = owned.own(Storage.open(config, clock, meters));
    Json json = new Json();
    StreamHub hub = new StreamHub(clock, closedGrace(config), storage.feed().orElse(null));
    ScheduledExecutorService janitor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("janitor").factory());
    owned.own(janitor::shutdownNow);
    hub.startTicking(janitor, config.heartbeat().dividedBy(3));
    ModelCatalog catalog =
        owned.own(
            ModelCatalog.build(
                config.models(),
                clock,
                new OfflineModel(clock, config.offlineDelay(), config.models().tools().approvals()),
                new ModelTelemetry(meters, otel)));
    // why: the bench model is a load generator (600 chunks a turn by default), not something to
    // offer users; only the benchmark harness turns it on.
    Stream<ChatModel> bench =
        config.benchModel() ? Stream.of(new BenchModel(clock)) : Stream.empty();
    ModelRegistry models =
        new ModelRegistry(
            Stream.concat(catalog.models().stream(), bench).toList(), catalog.defaultModel());
    var cluster = config.cluster();
    RunSettings settings =
        new RunSettings(
            cluster.nodeId(),
            config.maxConcurrentRuns(),
            cluster.leaseTimeout(),
            config.stopWait(),
            cluster.pollInterval(),
            Security.runQuota(config),
            new Coalescing(config.coalesce().enabled(), config.coalesce().hold()));
    RunStores stores = new RunStores(storage.runs(), storage.chats(), storage.waits());
    RunTelemetry runMetrics = new RunTelemetry(meters, otel);
    RunService runService =
        new RunService(
            stores,
            storage.streams(),
            hub,
            models,
            json,
            clock,
            new Ids(clock),
            settings,
            runMetrics);
    RunRecovery recovery = new RunRecovery(stores, storage.streams(), hub, json, clock, runMetrics);
    if (!cluster.shared()) {
      // why: with embedded storage this is the only process, so every running run is an orphan.
      int recovered = recovery.recoverAll();
      if (recovered > 0) {
        LOG.info("recovered {} run(s) left running by a previous process", recovered);
      }
    }
    RunWorkers workers =
        new RunWorkers(runService, storage.runs(), recovery, settings, clock, cluster.shared());
    workers.start();
    // why: should a later step fail (the port taken after all), the workers stop with the rest.
    owned.own(workers);
    Security security = owned.own(Security.open(config, storage, clock));
    ApiKeys apiKeys = security.keys();
    WebAssets web =
        config.webDir().map(WebAssets::fromDirectory).orElseGet(WebAssets::fromClassPath);
    Optional<Durable> durable =
        DurableWiring.open(config, storage, hub, clock, json, security.secret());
    HttpServer server =
        HttpServer.start(
            config.host(),
            config.port(),
            config.http(),
            new HttpServer.Parts(
                security.authenticator(),
                new HttpJson(json, config.maxBodyBytes()),
                new Conversations(
                    new ChatService(storage.chats(), json, clock),
                    storage.chats(),
                    runService,
                    storage.runs(),
                    storage.waits(),
                    storage.streams(),
                    models,
                    clock),
                models,
                new StreamReader(storage.streams(), hub, config.heartbeat(), ORPHAN_POLL),
                () -> {
                  String problem = problem(storage, runService);
                  return new Health(
                      problem == null ? "ok" : "unavailable",
                      problem,
                      storage.name(),
                      cluster.nodeId(),
                      runService.activeRuns(),
                      hub.size());
                },
                clock,
                security.accounts(),
                web,
                new Observability(
                    meters, node::scrape, config.metrics(), otel, config.log().accessLog()),
                durable));
    startJanitor(janitor, storage, hub, clock, config.streamRetention());
    durable.ifPresent(d -> DurableWiring.sweepEvery(janitor, d));
    LOG.info(
        "reprise node {} listening on http://{}:{} (storage: {}; models: {}, default {}{}{})",
        cluster.nodeId(),
        config.host(),
        server.port(),
        storage.name(),
        String.join(", ", models.ids()),
        models.defaultModel(),
        server.metricsPort().isPresent()
            ? "; metrics on port " + server.metricsPort().getAsInt()
            : "",
        config.tracing().endpoint().map(e -> "; traces to " + e).orElse(""));
    LOG.info(
        web.built()
            ? "chat page ({}): open {}"
            : "chat page not built ({}); {} says how to build it",
        web.describe(),
        pageUrl(config.host(), server.port()));
    return new Reprise(owned, runService, workers, apiKeys, server, janitor, config.drainTimeout());
  }

  /** Where a browser on this machine finds the page: a wildcard address is not one to open. */
  static String pageUrl(String host, int port) {
    boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    String shown = wildcard ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + port + "/";
  }

  /** Why this node cannot serve now, or null when it can. */
  private static String problem(Storage storage, RunService runService) {
    if (runService.draining()) {
      return "shutting down";
    }
    if (!storage.ready().getAsBoolean()) {
      return "storage does not answer";
    }
    return storage.writeFault().get().orElse(null);
  }

  /** A closed stream must not outlive its log in memory, or an expired run would still replay. */
  private static Duration closedGrace(RepriseConfig config) {
    return config.streamRetention().compareTo(CLOSED_STREAM_GRACE) < 0
        ? config.streamRetention()
        : CLOSED_STREAM_GRACE;
  }

  private static void startJanitor(
      ScheduledExecutorService janitor,
      Storage storage,
      StreamHub hub,
      Clock clock,
      Duration retention) {
    long every = Math.max(1, Math.min(retention.toSeconds() / 4, 300));
    janitor.scheduleWithFixedDelay(
        () -> expire(storage, hub, clock, retention), every, every, TimeUnit.SECONDS);
  }

  private static void expire(Storage storage, StreamHub hub, Clock clock, Duration retention) {
    try {
      int deleted = storage.streams().deleteClosedBefore(clock.instant().minus(retention));
      hub.evictClosed();
      if (deleted > 0) {
        LOG.info("expired {} finished stream log(s)", deleted);
      }
    } catch (RuntimeException e) {
      LOG.warn("stream expiry failed", e);
    }
  }

  public int port() {
    return server.port();
  }

  /** The port {@code /metrics} has to itself, when REPRISE_METRICS_PORT gives it one. */
  public java.util.OptionalInt metricsPort() {
    return server.metricsPort();
  }

  public ApiKeys apiKeys() {
    return apiKeys;
  }

  /**
   * Drains runs first (none claimed any more; running ones may finish within the drain timeout, the
   * rest end as failed), so that readers still connected see their streams to the end; then stops
   * serving and closes storage.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    janitor.shutdownNow();
    long start = System.nanoTime();
    int running = runService.activeRuns();
    try {
      runService.drain(drainTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long drained = (System.nanoTime() - start) / 1_000_000;
    workers.close();
    server.close();
    owned.close();
    LOG.info(
        "reprise stopped: {} running run(s) drained in {} ms ({} still running were ended)",
        running,
        drained,
        runService.activeRuns());
  }
}
