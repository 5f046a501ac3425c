package dev.reprise.http;

import dev.reprise.stream.Frame;
import dev.reprise.stream.FrameSink;
import dev.reprise.stream.SseEncoder;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * An HTTP response that carries a UI message stream: the AI SDK's headers, one SSE event per chunk
 * (written and flushed once per batch), comment heartbeats, and {@code data: [DONE]} at the end.
 */
final class SseResponse implements FrameSink {
  static final String LONE_FINISH = "{\"type\":\"finish\"}";

  /**
   * The size of the response buffer: every write here is at least this long (a heartbeat), so it
   * goes to the socket as it is, one HTTP chunk per write.
   */
  static final int SMALLEST_WRITE = SseEncoder.HEARTBEAT.length;

  private static final int MAX_WRITE = 64 * 1024;

  private static final byte[] LONE_FINISH_AND_DONE =
      concat(SseEncoder.event(LONE_FINISH), SseEncoder.DONE);

  private final OutputStream out;
  private final WriteWatchdog.Watch watchdog;
  private boolean endedWithFinish;

  private SseResponse(OutputStream out, WriteWatchdog.Watch watchdog) {
    this.out = out;
    this.watchdog = watchdog;
  }

  /** Sends the status line and headers; {@code extraHeaders} are name/value pairs. */
  static SseResponse open(
      ServerResponse res, WriteWatchdog.Watch watchdog, String... extraHeaders) {
    headers(res, extraHeaders);
    return new SseResponse(res.outputStream(), watchdog);
  }

  /** Answers a HEAD: the status and headers a stream would have, and no body. */
  static void head(ServerResponse res, String... extraHeaders) {
    headers(res, extraHeaders);
    res.send();
  }

  private static void headers(ServerResponse res, String... extraHeaders) {
    res.status(Status.OK_200);
    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.header("x-vercel-ai-ui-message-stream", "v1");
    res.header("x-accel-buffering", "no");
    for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
      res.header(extraHeaders[i], extraHeaders[i + 1]);
    }
  }

  @Override
  public void write(List<Frame> frames) throws IOException {
    watchdog.arm();
    try {
      if (frames.size() == 1) {
        out.write(frames.getFirst().sse());
      } else {
        writeJoined(frames);
      }
      endedWithFinish = frames.getLast().finish();
      flush();
    } finally {
      watchdog.disarm();
    }
  }

  /**
   * Events before the stream's own, without ids: a reader that resumes by index never asks for
   * them, since they are sent only to one that replays from the start.
   */
  void prelude(List<String> chunks) throws IOException {
    if (chunks.isEmpty()) {
      return;
    }
    for (String chunk : chunks) {
      out.write(SseEncoder.event(chunk));
    }
    flush();
  }

  @Override
  public void heartbeat() throws IOException {
    watchdog.arm();
    try {
      out.write(SseEncoder.HEARTBEAT);
      flush();
    } finally {
      watchdog.disarm();
    }
  }

  @Override
  public void finishedBefore() {
    endedWithFinish = true;
  }

  /**
   * Ends the response. A stream that did not end with {@code finish} (cut off, expired, asked past
   * its end) gets a lone one, because WorkflowChatTransport reconnects until it sees {@code
   * finish}.
   */
  void end() throws IOException {
    watchdog.arm();
    try {
      out.write(endedWithFinish ? SseEncoder.DONE : LONE_FINISH_AND_DONE);
      out.close();
    } finally {
      watchdog.disarm();
    }
  }

  /**
   * Writes the frames' events joined into writes of up to {@link #MAX_WRITE} bytes: one HTTP chunk
   * and one system call for many small events, while a long replay still starts at once and no
   * array grows with the batch.
   */
  private void writeJoined(List<Frame> frames) throws IOException {
    long total = 0;
    for (Frame frame : frames) {
      total += frame.sse().length;
    }
    // why: a reader a few frames behind (thousands of them per chunk at high fan-out) must not
    // allocate the full write size for a few hundred bytes.
    byte[] buffer = new byte[(int) Math.min(MAX_WRITE, total)];
    int used = 0;
    for (Frame frame : frames) {
      byte[] sse = frame.sse();
      if (used > 0 && used + sse.length > MAX_WRITE) {
        out.write(buffer, 0, used);
        used = 0;
      }
      if (sse.length >= MAX_WRITE) {
        out.write(sse);
      } else {
        System.arraycopy(sse, 0, buffer, used, sse.length);
        used += sse.length;
      }
    }
    if (used > 0) {
      out.write(buffer, 0, used);
    }
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private void flush() throws IOException {
    try {
      out.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
