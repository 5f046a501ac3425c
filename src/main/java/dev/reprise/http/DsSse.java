package dev.reprise.http;

import dev.reprise.durable.DsBatch;
import dev.reprise.durable.DsContent;
import dev.reprise.durable.DsCursor;
import dev.reprise.durable.DsEncoding;
import dev.reprise.durable.DsHeaders;
import dev.reprise.durable.DsLimits;
import dev.reprise.durable.DsReader;
import dev.reprise.durable.DsView;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * One SSE response of a Durable Stream: every batch of entries as a {@code data} event followed by
 * a {@code control} event, a {@code control} keep-alive while nothing comes, and the end after the
 * control that says the stream is closed (or after the longest a response may last, when the client
 * reconnects from its last offset).
 */
final class DsSse {
  private static final Duration MAX_KEEP_ALIVE = Duration.ofSeconds(15);

  private final DsReader reader;
  private final DsCursor cursors;
  private final DsLimits limits;
  private final WriteWatchdog watchdog;

  DsSse(DsReader reader, DsCursor cursors, DsLimits limits, WriteWatchdog watchdog) {
    this.reader = reader;
    this.cursors = cursors;
    this.limits = limits;
    this.watchdog = watchdog;
  }

  void stream(ServerResponse res, DsView view, long from, String cursor, Runnable touch)
      throws InterruptedException {
    DsBatch first = reader.catchUp(view, from);
    res.status(Status.OK_200);
    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.header("x-accel-buffering", "no");
    if (!DsContent.isText(view.contentType())) {
      res.header(DsHeaders.SSE_DATA_ENCODING, "base64");
    }
    try (WriteWatchdog.Watch watch = watchdog.watch();
        OutputStream out = res.outputStream()) {
      follow(out, watch, view, first, cursor, touch);
      if (watch.wasCutOff()) {
        // why: a reader that stopped reading loses its connection, as on the chat streams.
        throw new CloseConnectionException("a Durable Streams reader stopped reading");
      }
    } catch (IOException | UncheckedIOException e) {
      // the reader went away; nothing to answer
    }
  }

  private void follow(
      OutputStream out,
      WriteWatchdog.Watch watch,
      DsView view,
      DsBatch first,
      String cursor,
      Runnable touch)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limits.sseMaxDuration().toNanos();
    Duration keepAlive =
        limits.longPollTimeout().compareTo(MAX_KEEP_ALIVE) < 0
            ? limits.longPollTimeout()
            : MAX_KEEP_ALIVE;
    DsBatch batch = first;
    while (true) {
      watch.arm();
      try {
        if (!batch.entries().isEmpty()) {
          out.write(DsEncoding.dataEvent(view, batch.entries()));
        }
        out.write(
            DsEncoding.controlEvent(
                batch.next(), cursors.next(cursor), batch.upToDate(), batch.closed()));
        flush(out);
      } finally {
        watch.disarm();
      }
      if (batch.closed() || System.nanoTime() >= deadline) {
        return;
      }
      batch =
          batch.upToDate()
              ? reader.await(view, batch.next(), keepAlive)
              : reader.catchUp(view, batch.next());
      touch.run();
    }
  }

  private static void flush(OutputStream out) throws IOException {
    try {
      out.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
