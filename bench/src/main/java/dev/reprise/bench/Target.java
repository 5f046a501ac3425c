package dev.reprise.bench;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/** A system under test: how to start a run on it and how a watcher follows or replays one. */
abstract class Target {
  static final String HOST = "127.0.0.1";

  final String name;
  final int port;
  /** Server processes to measure (CPU, RSS); the first is the server itself. */
  List<Long> pids = List.of();
  /** Redis, when the system uses it (measured apart: the same Redis serves everyone). */
  List<Long> redisPids = List.of();

  Target(String name, int port) {
    this.name = name;
    this.port = port;
  }

  String host() {
    return HOST + ":" + port;
  }

  /** A run started on the server. */
  static final class Run {
    final String id;
    final int chunks;
    final int interval;
    long startMicros;
    long startNanos;
    volatile boolean ready;
    volatile boolean producerDone;
    volatile long lastEmitMicros;
    volatile long lastIndexSeenByPoster = -1;
    Thread producer;
    // the chat ladder's: whether a second reader resumes it mid-answer; when its POST was written, its
    // first delta's emission and its last delta's receipt (wall µs)
    volatile boolean resume;
    boolean resumeSubmitted;
    long sentMicros;
    long firstEmitMicros;
    long lastRecvMicros;

    Run(String id, int chunks, int interval) {
      this.id = id;
      this.chunks = chunks;
      this.interval = interval;
    }
  }

  /**
   * Starts a run of {@code chunks} deltas every {@code interval} ms. Systems whose start request
   * streams the run give it to {@code engine} with {@code poster} as listener (it sets ready on
   * headers); {@code hold} keeps the stream open after the last delta where the system allows.
   */
  abstract Run start(SseEngine engine, SseEngine.Listener poster, int chunks, int interval, int hold)
      throws IOException;

  /** The request with which a watcher follows the run (replaying what it missed). */
  abstract byte[] watch(Run run);

  /** The request that replays a finished (or long) run from its first chunk. */
  byte[] replay(Run run) {
    return watch(run);
  }

  /** Whether a 204 to a watcher means "not yet" (retry) rather than "nothing". */
  boolean retryOn204() {
    return false;
  }

  static String uiBody(String chatId, String text, String model) {
    return "{\"id\":\""
        + chatId
        + "\","
        + (model == null ? "" : "\"model\":\"" + model + "\",")
        + "\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\""
        + text
        + "\"}]}]}";
  }

  /** reprise: POST /api/chat with the bench model; watchers GET /api/chat/{chatId}/stream. */
  static final class Reprise extends Target {
    final String apiKey;

    Reprise(String name, int port, String apiKey) {
      super(name, port);
      this.apiKey = apiKey;
    }

    @Override
    Run start(SseEngine engine, SseEngine.Listener poster, int chunks, int interval, int hold) {
      Run run = new Run(UUID.randomUUID().toString(), chunks, interval);
      run.startNanos = System.nanoTime();
      run.startMicros = SseEngine.wallMicros();
      String body = uiBody(run.id, "chunks=" + chunks + " interval=" + interval, "bench");
      engine.submit(
          new SseEngine.Conn(
              SseEngine.post(host(), "/api/chat", "application/json", body, "x-api-key", apiKey),
              poster,
              run));
      return run;
    }

    @Override
    byte[] watch(Run run) {
      return SseEngine.get(host(), "/api/chat/" + run.id + "/stream", "x-api-key", apiKey);
    }

    @Override
    byte[] replay(Run run) {
      return SseEngine.get(
          host(), "/api/chat/" + run.id + "/stream?startIndex=0", "x-api-key", apiKey);
    }

    void stop(Run run) throws IOException {
      try (Http1 http = new Http1(HOST, port)) {
        http.send("POST", "/api/chat/" + run.id + "/stop", "{}", "x-api-key", apiKey,
            "Content-Type", "application/json");
      }
    }
  }

  /** The resumable-stream peer (bench/node/rs-server.mjs): same routes as reprise. */
  static final class ResumableStream extends Target {
    ResumableStream(String name, int port) {
      super(name, port);
    }

    @Override
    Run start(SseEngine engine, SseEngine.Listener poster, int chunks, int interval, int hold) {
      Run run = new Run(UUID.randomUUID().toString(), chunks, interval);
      run.startNanos = System.nanoTime();
      run.startMicros = SseEngine.wallMicros();
      String text = "chunks=" + chunks + " interval=" + interval + (hold > 0 ? " hold=" + hold : "");
      engine.submit(
          new SseEngine.Conn(
              SseEngine.post(host(), "/api/chat", "application/json", uiBody(run.id, text, null)),
              poster,
              run));
      return run;
    }

    @Override
    byte[] watch(Run run) {
      return SseEngine.get(host(), "/api/chat/" + run.id + "/stream");
    }

    @Override
    boolean retryOn204() {
      return true;
    }
  }

  /** The trivial in-memory broadcast server (FloorServer). */
  static final class Floor extends Target {
    Floor(String name, int port) {
      super(name, port);
    }

    @Override
    Run start(SseEngine engine, SseEngine.Listener poster, int chunks, int interval, int hold) {
      Run run = new Run(UUID.randomUUID().toString(), chunks, interval);
      run.startNanos = System.nanoTime();
      run.startMicros = SseEngine.wallMicros();
      engine.submit(
          new SseEngine.Conn(
              SseEngine.post(
                  host(), "/run/" + run.id + "?chunks=" + chunks + "&interval=" + interval,
                  "text/plain", ""),
              poster,
              run));
      return run;
    }

    @Override
    byte[] watch(Run run) {
      return SseEngine.get(host(), "/run/" + run.id);
    }
  }

  /**
   * A Durable Streams server: the protocol's Node reference server (streams at {@code
   * /v1/stream/{name}}), or reprise through a capability URL ({@code /ds/cap/<token>} before it).
   * The load client is the producer (one POST per chunk, stamped when sent, on the same schedule);
   * watchers read SSE from offset -1.
   */
  static final class DurableStreams extends Target {
    /** What comes before {@code /v1/stream/}: "" on the Node server, the capability URL on reprise. */
    final String prefix;

    DurableStreams(String name, int port) {
      this(name, port, "");
    }

    DurableStreams(String name, int port, String prefix) {
      super(name, port);
      this.prefix = prefix;
    }

    /** The path of the stream {@code name}. */
    String stream(String name) {
      return prefix + "/v1/stream/" + name;
    }

    static String chunkJson(long i, long micros) {
      return "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"w" + i + "|" + micros + " \"}";
    }

    @Override
    Run start(SseEngine engine, SseEngine.Listener poster, int chunks, int interval, int hold)
        throws IOException {
      Run run = new Run("bench-" + UUID.randomUUID(), chunks, interval);
      Http1 http = new Http1(HOST, port);
      Http1.Response created =
          http.send("PUT", stream(run.id), "", "Content-Type", "application/json");
      if (created.status() / 100 != 2) {
        throw new IOException("PUT stream: " + created.status());
      }
      run.startNanos = System.nanoTime();
      run.startMicros = SseEngine.wallMicros();
      run.ready = true;
      run.producer =
          Thread.ofPlatform()
              .daemon()
              .name("ds-producer")
              .start(
                  () -> {
                    try (http) {
                      long intervalNanos = interval * 1_000_000L;
                      for (int i = 0; i < chunks; i++) {
                        long due = run.startNanos + (i + 1) * intervalNanos;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                          LockSupport.parkNanos(wait);
                        }
                        long micros = SseEngine.wallMicros();
                        Http1.Response r =
                            http.send("POST", stream(run.id), chunkJson(i, micros),
                                "Content-Type", "application/json");
                        if (r.status() / 100 != 2) {
                          throw new IOException("append " + i + ": " + r.status());
                        }
                        run.lastEmitMicros = micros;
                      }
                      if (hold > 0) {
                        Thread.sleep(hold);
                      }
                      http.send("POST", stream(run.id), "", "Stream-Closed", "true",
                          "Content-Type", "application/json");
                    } catch (IOException | InterruptedException e) {
                      System.err.println("ds producer: " + e);
                    } finally {
                      run.producerDone = true;
                    }
                  });
      return run;
    }

    @Override
    byte[] watch(Run run) {
      return SseEngine.get(host(), stream(run.id) + "?offset=-1&live=sse");
    }
  }
}
