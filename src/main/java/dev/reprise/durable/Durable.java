package dev.reprise.durable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamLog;
import java.time.Clock;
import java.time.Duration;

/**
 * The Durable Streams service as the HTTP layer uses it, built on the node's stream log and hub.
 *
 * @param maxCapabilityLifetime the longest a minted capability URL may live
 */
public record Durable(
    DurableStreams streams,
    DsWriter writer,
    DsReader reader,
    DsCursor cursors,
    Capabilities capabilities,
    DsLimits limits,
    Duration maxCapabilityLifetime) {

  /**
   * {@code pollLog}: other nodes write the same log and no remote feed brings their appends here
   * (PostgreSQL without Redis), so live reads also look at the log.
   */
  public static Durable open(
      DsCatalog catalog,
      StreamLog log,
      StreamHub hub,
      Clock clock,
      ObjectMapper mapper,
      DsLimits limits,
      boolean pollLog,
      Capabilities capabilities,
      Duration maxCapabilityLifetime) {
    DurableStreams streams =
        new DurableStreams(catalog, new DsLogs(log, hub, clock), clock, mapper, limits);
    return new Durable(
        streams,
        new DsWriter(streams, mapper),
        new DsReader(streams, pollLog),
        new DsCursor(clock),
        capabilities,
        limits,
        maxCapabilityLifetime);
  }
}
