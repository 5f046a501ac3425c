package dev.reprise.app;

import dev.reprise.auth.ServerSecret;
import dev.reprise.config.DurableConfig;
import dev.reprise.config.RepriseConfig;
import dev.reprise.durable.Capabilities;
import dev.reprise.durable.DsLimits;
import dev.reprise.durable.Durable;
import dev.reprise.protocol.Json;
import dev.reprise.stream.StreamHub;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Durable Streams service, wired from the configuration (or absent when turned off). */
final class DurableWiring {
  private static final Logger LOG = LoggerFactory.getLogger(DurableWiring.class);
  private static final long SWEEP_SECONDS = 1;

  private DurableWiring() {}

  static Optional<Durable> open(
      RepriseConfig config,
      Storage storage,
      StreamHub hub,
      Clock clock,
      Json json,
      ServerSecret secret) {
    DurableConfig ds = config.durable();
    if (!ds.enabled()) {
      return Optional.empty();
    }
    DsLimits limits =
        new DsLimits(
            ds.maxStreams(),
            ds.maxAccountBytes(),
            ds.maxAppendBytes(),
            ds.longPollTimeout(),
            ds.sseMaxDuration());
    boolean pollLog = config.cluster().shared() && storage.feed().isEmpty();
    return Optional.of(
        Durable.open(
            storage.durable(),
            storage.streams(),
            hub,
            clock,
            json.mapper(),
            limits,
            pollLog,
            new Capabilities(secret.derive("durable-streams capability"), clock),
            ds.maxCapabilityLifetime()));
  }

  /** Expires streams whose TTL or Expires-At has passed, so that their storage goes too. */
  static void sweepEvery(ScheduledExecutorService janitor, Durable durable) {
    janitor.scheduleWithFixedDelay(
        () -> {
          try {
            durable.streams().sweep();
          } catch (RuntimeException e) {
            LOG.warn("Durable Streams expiry failed", e);
          }
        },
        SWEEP_SECONDS,
        SWEEP_SECONDS,
        TimeUnit.SECONDS);
  }
}
