package dev.reprise.http;

import dev.reprise.storage.StorageException;
import dev.reprise.stream.StreamReader;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a request with a run's stream, from an index to its end, as SSE. */
final class StreamResponder {
  static final String RUN_ID_HEADER = "x-workflow-run-id";
  static final String TAIL_INDEX_HEADER = "x-workflow-stream-tail-index";
  private static final Logger LOG = LoggerFactory.getLogger(StreamResponder.class);

  private final StreamReader reader;
  private final WriteWatchdog watchdog;

  StreamResponder(StreamReader reader, WriteWatchdog watchdog) {
    this.reader = reader;
    this.watchdog = watchdog;
  }

  /**
   * Streams run {@code runId} from {@code startIndex} (negative: counted back from the tail). The
   * client going away ends this response, never the run.
   */
  void respond(ServerResponse res, String runId, long startIndex, String... extraHeaders) {
    respond(res, runId, startIndex, List.of(), extraHeaders);
  }

  /** The same, with {@code prelude} (chunks as JSON) sent before the run's first chunk. */
  void respond(
      ServerResponse res,
      String runId,
      long startIndex,
      List<String> prelude,
      String... extraHeaders) {
    long tail = reader.tailIndex(runId);
    long from = startIndex >= 0 ? startIndex : Math.max(0, tail + 1 + startIndex);
    String[] headers = new String[extraHeaders.length + 4];
    headers[0] = RUN_ID_HEADER;
    headers[1] = runId;
    headers[2] = TAIL_INDEX_HEADER;
    headers[3] = Long.toString(tail);
    System.arraycopy(extraHeaders, 0, headers, 4, extraHeaders.length);
    if (ExchangeFilter.isHead()) {
      // why: a HEAD gets the stream's status and headers, and must not wait for the run to end.
      SseResponse.head(res, headers);
      return;
    }
    try (WriteWatchdog.Watch watch = watchdog.watch()) {
      follow(res, watch, runId, from, tail < 0, prelude, headers);
      if (watch.wasCutOff()) {
        // why: the interrupt may have landed between writes, leaving the socket open; a stuck
        // client's connection must end either way.
        throw new CloseConnectionException("the reader of " + runId + " stopped reading");
      }
    }
  }

  private void follow(
      ServerResponse res,
      WriteWatchdog.Watch watch,
      String runId,
      long from,
      boolean empty,
      List<String> prelude,
      String[] headers) {
    try {
      SseResponse sse = SseResponse.open(res, watch, headers);
      if (empty && prelude.isEmpty()) {
        // why: over HTTP/1.1 the headers wait for the first bytes, and a queued run writes none
        // until a slot frees: the client, and a proxy's timeout, would see nothing till then.
        sse.heartbeat();
      }
      sse.prelude(prelude);
      reader.follow(runId, from, sse);
      sse.end();
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("reader of {} went away: {}", runId, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StorageException e) {
      // why: the reader's stream ends short; the operator must see why, the client reconnects.
      LOG.error("reader of {}: the stream log failed", runId, e);
    } catch (RuntimeException e) {
      // why: Helidon reports a vanished client as its own unchecked exception type on write.
      LOG.debug("reader of {} ended: {}", runId, e.toString());
    }
  }
}
