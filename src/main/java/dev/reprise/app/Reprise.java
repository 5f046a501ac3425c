package dev.reprise.app;

import dev.reprise.auth.ApiKeys;
import dev.reprise.auth.ServerSecret;
import dev.reprise.chat.ChatService;
import dev.reprise.config.RepriseConfig;
import dev.reprise.http.Authenticator;
import dev.reprise.http.Health;
import dev.reprise.http.HttpJson;
import dev.reprise.http.HttpServer;
import dev.reprise.model.ModelRegistry;
import dev.reprise.model.OfflineModel;
import dev.reprise.protocol.Json;
import dev.reprise.run.Ids;
import dev.reprise.run.RunRecovery;
import dev.reprise.run.RunService;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamReader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: wires storage, streams, runs, models and HTTP from the configuration. */
public final class Reprise implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reprise.class);
  private static final Duration CLOSED_STREAM_GRACE = Duration.ofMinutes(1);
  private static final Duration ORPHAN_POLL = Duration.ofMillis(250);

  private final Storage storage;
  private final RunService runService;
  private final ApiKeys apiKeys;
  private final HttpServer server;
  private final ScheduledExecutorService janitor;
  private final Duration drainTimeout;

  private Reprise(
      Storage storage,
      RunService runService,
      ApiKeys apiKeys,
      HttpServer server,
      ScheduledExecutorService janitor,
      Duration drainTimeout) {
    this.drainTimeout = drainTimeout;
    this.storage = storage;
    this.runService = runService;
    this.apiKeys = apiKeys;
    this.server = server;
    this.janitor = janitor;
  }

  /** Opens storage, finalizes runs that a previous process left behind, then starts serving. */
  public static Reprise start(RepriseConfig config, Clock clock) {
    Storage storage = Storage.open(config);
    Json json = new Json();
    // why: a closed stream must not outlive its log in memory, or an expired run would still
    // replay.
    Duration grace =
        config.streamRetention().compareTo(CLOSED_STREAM_GRACE) < 0
            ? config.streamRetention()
            : CLOSED_STREAM_GRACE;
    StreamHub hub = new StreamHub(clock, grace);
    ModelRegistry models =
        new ModelRegistry(
            List.of(new OfflineModel(clock, config.offlineDelay())), config.defaultModel());
    RunService runService =
        new RunService(
            storage.runs(),
            storage.chats(),
            storage.streams(),
            hub,
            models,
            json,
            clock,
            new Ids(clock),
            config.maxConcurrentRuns(),
            config.stopWait());
    int recovered =
        new RunRecovery(
                storage.runs(), storage.chats(), storage.streams(), hub, runService, json, clock)
            .recoverAll();
    if (recovered > 0) {
      LOG.info("recovered {} run(s) left live by a previous process", recovered);
    }
    ServerSecret secret =
        config
            .serverSecret()
            .map(ServerSecret::of)
            .orElseGet(() -> ServerSecret.loadOrCreate(config.dataDir()));
    ApiKeys apiKeys = new ApiKeys(storage.accounts(), secret, clock);
    HttpServer server =
        HttpServer.start(
            config.host(),
            config.port(),
            new HttpServer.Parts(
                new Authenticator(apiKeys),
                new HttpJson(json, config.maxBodyBytes()),
                new ChatService(storage.chats(), json, clock),
                storage.chats(),
                runService,
                storage.runs(),
                models,
                new StreamReader(storage.streams(), hub, config.heartbeat(), ORPHAN_POLL),
                storage.streams(),
                () -> new Health("ok", storage.name(), runService.activeRuns(), hub.size())));
    ScheduledExecutorService janitor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("janitor").factory());
    long every = Math.max(1, Math.min(config.streamRetention().toSeconds() / 4, 300));
    janitor.scheduleWithFixedDelay(
        () -> expire(storage, hub, clock, config.streamRetention()),
        every,
        every,
        TimeUnit.SECONDS);
    LOG.info(
        "reprise listening on http://{}:{} (storage: {})",
        config.host(),
        server.port(),
        storage.name());
    return new Reprise(storage, runService, apiKeys, server, janitor, config.drainTimeout());
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

  public ApiKeys apiKeys() {
    return apiKeys;
  }

  /**
   * Drains runs first (no new ones; running ones may finish within the drain timeout, the rest end
   * as failed), so that readers still connected see their streams to the end; then stops serving
   * and closes storage.
   */
  @Override
  public void close() {
    janitor.shutdownNow();
    try {
      runService.drain(drainTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    storage.close();
  }
}
