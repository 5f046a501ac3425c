package dev.reprise.http;

import dev.reprise.durable.DsBatch;
import dev.reprise.durable.DsCursor;
import dev.reprise.durable.DsEncoding;
import dev.reprise.durable.DsException;
import dev.reprise.durable.DsHeaders;
import dev.reprise.durable.DsLimits;
import dev.reprise.durable.DsOffset;
import dev.reprise.durable.DsReader;
import dev.reprise.durable.DsView;
import dev.reprise.stream.StreamInfo;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET} of a Durable Stream: a catch-up read, a long-poll, or SSE. Each goes by log index
 * from the offset asked, so replay and live meet without a gap or a repeat.
 */
final class DsReadResponder {
  private static final String CATCH_UP_CACHE = "private, max-age=60, stale-while-revalidate=300";

  private final DsReader reader;
  private final DsCursor cursors;
  private final DsLimits limits;
  private final DsSse sse;

  DsReadResponder(DsReader reader, DsCursor cursors, DsLimits limits, WriteWatchdog watchdog) {
    this.reader = reader;
    this.cursors = cursors;
    this.limits = limits;
    this.sse = new DsSse(reader, cursors, limits, watchdog);
  }

  /** The offset and mode a read asks for. */
  private record Ask(String offset, String live, String cursor) {
    boolean now() {
      return DsOffset.NOW.equals(offset);
    }
  }

  void read(ServerRequest req, ServerResponse res, DsView view, String path, Runnable touch) {
    Ask ask = ask(req);
    try {
      if ("sse".equals(ask.live())) {
        sse.stream(res, view, start(view, ask), ask.cursor(), touch);
      } else if (ask.now() && ask.live() == null) {
        now(res, view);
      } else {
        catchUpOrPoll(req, res, view, path, ask, touch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DsException(503, "the server is shutting down", Map.of());
    }
  }

  void headRun(ServerResponse res, DsView view) {
    StreamInfo tail = reader.tail(view);
    res.header(HeaderNames.CONTENT_TYPE, view.contentType());
    res.header(DsHeaders.NEXT_OFFSET, DsOffset.of(tail.tailIndex() + 1));
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    if (tail.closed()) {
      res.header(DsHeaders.STREAM_CLOSED, "true");
    }
    res.status(Status.OK_200).send();
  }

  private static Ask ask(ServerRequest req) {
    List<String> offsets = req.query().all("offset", List::of);
    if (offsets.size() > 1) {
      throw DsException.badRequest("give one offset");
    }
    String offset = offsets.isEmpty() ? null : offsets.getFirst();
    if (offset != null) {
      if (offset.isEmpty()) {
        throw DsException.badRequest("the offset is empty");
      }
      if (!offset.equals(DsOffset.BEGINNING) && !offset.equals(DsOffset.NOW)) {
        DsOffset.index(offset);
      }
    }
    String live = req.query().first("live").orElse(null);
    if (live != null && !live.equals("sse") && !live.equals("long-poll")) {
      live = null;
    }
    if (live != null && offset == null) {
      throw DsException.badRequest("a live read needs an offset");
    }
    return new Ask(offset, live, req.query().first("cursor").orElse(null));
  }

  private long start(DsView view, Ask ask) {
    if (ask.offset() == null || ask.offset().equals(DsOffset.BEGINNING)) {
      return 0;
    }
    if (ask.now()) {
      return reader.tail(view).tailIndex() + 1;
    }
    return DsOffset.index(ask.offset());
  }

  private void now(ServerResponse res, DsView view) {
    StreamInfo tail = reader.tail(view);
    res.header(HeaderNames.CONTENT_TYPE, view.contentType());
    res.header(DsHeaders.NEXT_OFFSET, DsOffset.of(tail.tailIndex() + 1));
    res.header(DsHeaders.UP_TO_DATE, "true");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    if (tail.closed()) {
      res.header(DsHeaders.STREAM_CLOSED, "true");
    }
    res.status(Status.OK_200).send(view.json() ? "[]".getBytes() : new byte[0]);
  }

  private void catchUpOrPoll(
      ServerRequest req, ServerResponse res, DsView view, String path, Ask ask, Runnable touch)
      throws InterruptedException {
    long from = start(view, ask);
    boolean longPoll = "long-poll".equals(ask.live());
    DsBatch batch = reader.catchUp(view, from);
    if (longPoll && batch.entries().isEmpty()) {
      if (!batch.closed()) {
        batch = reader.await(view, batch.next(), limits.longPollTimeout());
        touch.run();
      }
      if (batch.entries().isEmpty()) {
        noContent(res, batch, ask);
        return;
      }
    }
    res.header(HeaderNames.CONTENT_TYPE, view.contentType());
    res.header(DsHeaders.NEXT_OFFSET, DsOffset.of(batch.next()));
    if (batch.upToDate()) {
      res.header(DsHeaders.UP_TO_DATE, "true");
    }
    if (batch.closed()) {
      res.header(DsHeaders.STREAM_CLOSED, "true");
    }
    if (longPoll) {
      res.header(DsHeaders.CURSOR, cursors.next(ask.cursor()));
    }
    String start = ask.offset() == null ? DsOffset.BEGINNING : ask.offset();
    String etag = DsResponses.etag(path, start, batch.next(), batch.closed());
    res.header(HeaderNames.ETAG, etag);
    res.header(HeaderNames.CACHE_CONTROL, batch.upToDate() ? "no-cache" : CATCH_UP_CACHE);
    Optional<String> ifNoneMatch = req.headers().first(HeaderNames.IF_NONE_MATCH);
    if (ifNoneMatch.isPresent() && ifNoneMatch.get().equals(etag)) {
      res.status(Status.NOT_MODIFIED_304).send();
      return;
    }
    res.status(Status.OK_200).send(DsEncoding.body(view, batch.entries()));
  }

  private void noContent(ServerResponse res, DsBatch batch, Ask ask) {
    res.header(DsHeaders.NEXT_OFFSET, DsOffset.of(batch.next()));
    res.header(DsHeaders.UP_TO_DATE, "true");
    if (batch.closed()) {
      res.header(DsHeaders.STREAM_CLOSED, "true");
    } else {
      res.header(DsHeaders.CURSOR, cursors.next(ask.cursor()));
    }
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.status(Status.NO_CONTENT_204).send();
  }
}
