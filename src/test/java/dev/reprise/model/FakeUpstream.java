package dev.reprise.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A provider on loopback that replays recorded wire transcripts, one scripted reply per request,
 * over plain sockets so that a test can see the client drop the connection.
 */
public final class FakeUpstream implements AutoCloseable {

  public record Request(String method, String path, Map<String, String> headers, String body) {}

  public sealed interface Reply {
    /** A 200 event stream with the transcript as its body, then the connection closes. */
    record Stream(String transcript) implements Reply {}

    /** The transcript, then the connection is held open until the client drops it. */
    record StreamThenHold(String transcript, CountDownLatch dropped) implements Reply {}

    /**
     * No answer at all: the request is read, then the connection held until the client drops it.
     */
    record Silent(CountDownLatch dropped) implements Reply {}

    /**
     * The transcript one event at a time, {@code pause} apart, like a model that takes its time.
     */
    record Paced(String transcript, java.time.Duration pause) implements Reply {}

    /** An error status with a JSON body and extra headers. */
    record Error(int status, String transcript, Map<String, String> headers) implements Reply {}
  }

  private final ServerSocket server;
  private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public FakeUpstream() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(this::accept);
  }

  public FakeUpstream reply(Reply... more) {
    replies.addAll(List.of(more));
    return this;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public static String transcript(String name) {
    try (InputStream in =
        Objects.requireNonNull(
            FakeUpstream.class.getResourceAsStream("/transcripts/" + name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      Request request = read(in);
      requests.add(request);
      Reply reply = replies.poll();
      OutputStream out = socket.getOutputStream();
      switch (reply) {
        case null ->
            write(out, 500, "application/json", "{\"error\":\"no reply scripted\"}", Map.of());
        case Reply.Stream stream ->
            write(out, 200, "text/event-stream", transcript(stream.transcript()), Map.of());
        case Reply.Error error ->
            write(
                out,
                error.status(),
                "application/json",
                transcript(error.transcript()),
                error.headers());
        case Reply.StreamThenHold hold -> {
          write(out, 200, "text/event-stream", transcript(hold.transcript()), Map.of());
          awaitDrop(in, hold.dropped());
        }
        case Reply.Silent silent -> awaitDrop(in, silent.dropped());
        case Reply.Paced paced -> writePaced(out, transcript(paced.transcript()), paced.pause());
      }
    } catch (IOException ignored) {
      // the client went away mid-reply
    }
  }

  private static void writePaced(OutputStream out, String transcript, java.time.Duration pause)
      throws IOException {
    write(out, 200, "text/event-stream", "", Map.of());
    for (String event : transcript.split("(?<=\n\n)")) {
      out.write(event.getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void awaitDrop(InputStream in, CountDownLatch dropped) {
    try {
      while (in.read() >= 0) {
        // why: the client sends nothing more; read() returns when it drops the connection.
      }
    } catch (IOException gone) {
      // the same: the client went away.
    }
    dropped.countDown();
  }

  private static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the request ended");
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Request(requestLine[0], requestLine[1], headers, body);
  }

  private static void write(
      OutputStream out, int status, String type, String body, Map<String, String> headers)
      throws IOException {
    StringBuilder head =
        new StringBuilder("HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Error") + "\r\n");
    head.append("Content-Type: ").append(type).append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Connection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }
}
