package dev.reprise.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The trivial in-memory broadcast server that gives the load client's floor: no log, no JSON
 * library, no auth, one NIO thread that writes each chunk's bytes to every reader. {@code POST
 * /run/{id}?chunks=N&interval=I} starts a run (same stamps and schedule as the bench model) and
 * streams it; {@code GET /run/{id}} replays it from the start and follows it.
 */
public final class FloorServer {
  private static final byte[] HEAD =
      ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NO_CONTENT =
      "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK =
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** One connection: its request so far, then what it still has to be sent. */
  private static final class Client {
    final SocketChannel channel;
    final StringBuilder request = new StringBuilder();
    final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    Run run;
    boolean closeWhenFlushed;
    boolean waitingToWrite;

    Client(SocketChannel channel) {
      this.channel = channel;
    }
  }

  /** One run: its frames (chunked-encoded) and its readers. */
  private static final class Run {
    final List<byte[]> frames = new ArrayList<>();
    final List<Client> readers = new ArrayList<>();
    boolean closed;
  }

  private final Selector selector;
  private final Map<String, Run> runs = new HashMap<>();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

  private FloorServer() throws IOException {
    this.selector = Selector.open();
  }

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    FloorServer floor = new FloorServer();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", port), 8192);
    server.configureBlocking(false);
    server.register(floor.selector, SelectionKey.OP_ACCEPT);
    System.err.println("floor server on 127.0.0.1:" + port);
    floor.loop(server);
  }

  private void loop(ServerSocketChannel server) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(16384);
    while (true) {
      selector.select(100);
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        try {
          if (key.isAcceptable()) {
            SocketChannel ch;
            while ((ch = server.accept()) != null) {
              ch.configureBlocking(false);
              ch.register(selector, SelectionKey.OP_READ, new Client(ch));
            }
            continue;
          }
          Client c = (Client) key.attachment();
          if (key.isReadable()) {
            buffer.clear();
            int n = c.channel.read(buffer);
            if (n < 0) {
              drop(c);
              continue;
            }
            if (c.run == null) {
              c.request.append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
              if (c.request.indexOf("\r\n\r\n") >= 0) {
                request(c);
              }
            }
          }
          if (key.isValid() && key.isWritable()) {
            flush(c);
          }
        } catch (IOException | RuntimeException e) {
          drop((Client) key.attachment());
        }
      }
    }
  }

  private void request(Client c) throws IOException {
    String line = c.request.substring(0, c.request.indexOf("\r\n"));
    String[] parts = line.split(" ");
    String path = parts[1];
    if (path.startsWith("/health")) {
      send(c, OK);
      c.closeWhenFlushed = true;
      flush(c);
      return;
    }
    int q = path.indexOf('?');
    String id = path.substring("/run/".length(), q < 0 ? path.length() : q);
    Run run;
    if (parts[0].equals("POST")) {
      Map<String, String> params = new HashMap<>();
      if (q >= 0) {
        for (String kv : path.substring(q + 1).split("&")) {
          int eq = kv.indexOf('=');
          params.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      run = new Run();
      runs.put(id, run);
      int chunks = Integer.parseInt(params.getOrDefault("chunks", "600"));
      long interval = Long.parseLong(params.getOrDefault("interval", "20"));
      Run started = run;
      Thread.ofPlatform().daemon().start(() -> generate(started, chunks, interval));
    } else {
      run = runs.get(id);
      if (run == null) {
        send(c, NO_CONTENT);
        c.closeWhenFlushed = true;
        flush(c);
        return;
      }
    }
    c.run = run;
    int size = HEAD.length;
    for (byte[] f : run.frames) {
      size += f.length;
    }
    ByteBuffer replay = ByteBuffer.allocate(size).put(HEAD);
    for (byte[] f : run.frames) {
      replay.put(f);
    }
    c.pending.add(replay.flip());
    if (run.closed) {
      send(c, END);
      c.closeWhenFlushed = true;
    } else {
      run.readers.add(c);
    }
    flush(c);
  }

  private static void send(Client c, byte[] bytes) {
    c.pending.add(ByteBuffer.wrap(bytes));
  }

  private void flush(Client c) throws IOException {
    while (!c.pending.isEmpty()) {
      ByteBuffer b = c.pending.peek();
      c.channel.write(b);
      if (b.hasRemaining()) {
        if (!c.waitingToWrite) {
          c.waitingToWrite = true;
          c.channel.keyFor(selector).interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
        return;
      }
      c.pending.poll();
    }
    if (c.waitingToWrite) {
      // why: changing the interest set costs an epoll_ctl; only do it when it changes.
      c.waitingToWrite = false;
      c.channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
    }
    if (c.closeWhenFlushed) {
      drop(c);
    }
  }

  private void drop(Client c) {
    if (c.run != null) {
      c.run.readers.remove(c);
    }
    try {
      c.channel.close();
    } catch (IOException e) {
      // closing
    }
  }

  /** Publishes a frame (on the selector thread): to the run's list and to every reader. */
  private void publish(Run run, byte[] frame, boolean last) {
    tasks.add(
        () -> {
          if (frame != null) {
            run.frames.add(frame);
          }
          if (last) {
            run.closed = true;
          }
          for (Client c : new ArrayList<>(run.readers)) {
            if (frame != null) {
              send(c, frame);
            }
            if (last) {
              send(c, END);
              c.closeWhenFlushed = true;
            }
            try {
              flush(c);
            } catch (IOException e) {
              drop(c);
            }
          }
          if (last) {
            run.readers.clear();
          }
        });
    selector.wakeup();
  }

  private void generate(Run run, int chunks, long intervalMs) {
    long start = System.nanoTime();
    long interval = intervalMs * 1_000_000L;
    try {
      for (int i = 0; i < chunks; i++) {
        long wait = start + (i + 1) * interval - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        String event =
            "id: "
                + i
                + "\ndata: {\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"w"
                + i
                + "|"
                + SseEngine.wallMicros()
                + " \"}\n\n";
        byte[] e = event.getBytes(StandardCharsets.UTF_8);
        byte[] chunk =
            (Integer.toHexString(e.length) + "\r\n" + event + "\r\n").getBytes(StandardCharsets.UTF_8);
        publish(run, chunk, false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      publish(run, null, true);
    }
  }
}
