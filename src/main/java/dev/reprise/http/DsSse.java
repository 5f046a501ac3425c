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

  DsSse(DsReader reader, DsCursor cursors, DsLimits limits) {
    this.reader = reader;
    this.cursors = cursors;
    this.limits = limits;
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
    long deadline = System.nanoTime() + limits.sseMaxDuration().toNanos();
    Duration keepAlive =
        limits.longPollTimeout().compareTo(MAX_KEEP_ALIVE) < 0
            ? limits.longPollTimeout()
            : MAX_KEEP_ALIVE;
    try (OutputStream out = res.outputStream()) {
      DsBatch batch = first;
      long position = from;
      while (true) {
        if (!batch.entries().isEmpty()) {
          out.write(DsEncoding.dataEvent(view, batch.entries()));
        }
        position = batch.next();
        out.write(
            DsEncoding.controlEvent(
                position, cursors.next(cursor), batch.upToDate(), batch.closed()));
        flush(out);
        if (batch.closed() || System.nanoTime() >= deadline) {
          return;
        }
        batch =
            batch.upToDate()
                ? reader.await(view, position, keepAlive)
                : reader.catchUp(view, position);
        touch.run();
      }
    } catch (IOException | UncheckedIOException e) {
      // the reader went away; nothing to answer
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
