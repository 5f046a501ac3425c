package dev.reprise.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The load client's engine: HTTP/1.1 streaming GETs and POSTs over real non-blocking sockets, all
 * driven by one selector thread, so that ten thousand watchers cost ten thousand sockets and one
 * thread. It decodes chunked bodies and scans them for {@code w<i>|<emitMicros>} stamps without
 * building strings; each read is stamped once with the wall clock in microseconds.
 */
final class SseEngine implements AutoCloseable {

  /** What a scenario does with a connection's events; called on the engine thread only. */
  interface Listener {
    default void onHeaders(Conn c) {}

    default void onFirstByte(Conn c) {}

    void onStamp(Conn c, long index, long emitMicros, long recvMicros);

    /**
     * The response ended ({@code ok}: complete) or failed. Return a delay in ms to open the same
     * request again (e.g. after a 204 that came too early), or -1.
     */
    long onEnd(Conn c, boolean ok, String why);
  }

  /** One request and its response, with the numbers a scenario needs. */
  static final class Conn {
    final byte[] request;
    final Listener listener;
    final Object tag;
    SocketChannel channel;
    ByteBuffer out;
    // response parsing
    private int state;
    private final byte[] head = new byte[8192];
    private int headLen;
    int status;
    private boolean chunked;
    private long remaining;
    private boolean closeDelimited;
    private int crlfToSkip;
    // stamp scanner
    private int scan;
    private long scanIndex;
    private long scanMicros;
    private int scanDigits;
    // numbers
    long sentNanos;
    long headersNanos;
    long headersMicros;
    long firstByteNanos;
    long lastByteNanos;
    long bodyBytes;
    long stamps;
    long lastIndex = -1;
    long outOfOrder;
    int attempts;
    boolean ended;
    volatile boolean finishNow;
    boolean ok;
    String why;
    long retryAt;

    Conn(byte[] request, Listener listener, Object tag) {
      this.request = request;
      this.listener = listener;
      this.tag = tag;
    }

    private void reset() {
      state = HEAD;
      headLen = 0;
      status = 0;
      chunked = false;
      remaining = 0;
      closeDelimited = false;
      crlfToSkip = 0;
      scan = 0;
      bodyBytes = 0;
      firstByteNanos = 0;
      headersNanos = 0;
      ended = false;
    }
  }

  private static final int HEAD = 0;
  private static final int CHUNK_SIZE = 1;
  private static final int CHUNK_EXT = 2;
  private static final int CHUNK_DATA = 3;
  private static final int CHUNK_CRLF = 4;
  private static final int RAW = 5;
  private static final int LENGTH = 6;
  private static final int DONE = 7;

  private final InetSocketAddress address;
  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Conn> submitted = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<Conn> waiting = new ArrayDeque<>();
  private final ArrayDeque<Conn> retries = new ArrayDeque<>();
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
  private final byte[] bytes = new byte[256 * 1024];
  private final int maxPending;
  private int pending;
  private volatile boolean running = true;
  private volatile int open;

  SseEngine(InetSocketAddress address, int maxPending) throws IOException {
    this.address = address;
    this.maxPending = maxPending;
    this.selector = Selector.open();
    this.thread = Thread.ofPlatform().name("sse-engine").daemon().start(this::loop);
  }

  static byte[] get(String host, String path, String... headers) {
    StringBuilder r = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ");
    r.append(host).append("\r\nAccept: text/event-stream\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      r.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    return r.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] post(String host, String path, String contentType, String body, String... headers) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder r = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: ");
    r.append(host).append("\r\nAccept: text/event-stream\r\nContent-Type: ").append(contentType);
    r.append("\r\nContent-Length: ").append(b.length).append("\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      r.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    byte[] h = r.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[h.length + b.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    return all;
  }

  /** Opens the request (from any thread); at most maxPending connect at once. */
  void submit(Conn c) {
    submitted.add(c);
    selector.wakeup();
  }

  int openConnections() {
    return open;
  }

  static long wallMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private void loop() {
    while (running) {
      try {
        Conn c;
        while ((c = submitted.poll()) != null) {
          waiting.add(c);
        }
        long now = System.nanoTime();
        while (!retries.isEmpty() && retries.peek().retryAt <= now) {
          waiting.add(retries.poll());
        }
        while (pending < maxPending && !waiting.isEmpty()) {
          start(waiting.poll());
        }
        long timeout = retries.isEmpty() ? 50 : Math.max(1, (retries.peek().retryAt - now) / 1_000_000);
        selector.select(Math.min(timeout, 50));
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          Conn conn = (Conn) key.attachment();
          try {
            if (!key.isValid()) {
              continue;
            }
            if (key.isConnectable()) {
              conn.channel.finishConnect();
              key.interestOps(SelectionKey.OP_WRITE);
            }
            if (key.isValid() && key.isWritable()) {
              if (conn.out.position() == 0) {
                // why: stamped before the write, not after it: a stall of this thread between the
                // write and the stamp (a collection, preemption) would otherwise let the reply
                // arrive "before" the request and report an impossibly short time to first byte.
                conn.sentNanos = System.nanoTime();
              }
              conn.channel.write(conn.out);
              if (!conn.out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ);
              }
            }
            if (key.isValid() && key.isReadable()) {
              read(conn);
            }
          } catch (IOException | RuntimeException e) {
            end(conn, false, e.getClass().getSimpleName() + ": " + e.getMessage());
          }
        }
      } catch (IOException e) {
        if (running) {
          System.err.println("engine: " + e);
        }
      }
    }
  }

  private void start(Conn c) {
    try {
      c.reset();
      c.attempts++;
      c.out = ByteBuffer.wrap(c.request);
      SocketChannel ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      c.channel = ch;
      pending++;
      open++;
      if (ch.connect(address)) {
        ch.register(selector, SelectionKey.OP_WRITE, c);
      } else {
        ch.register(selector, SelectionKey.OP_CONNECT, c);
      }
    } catch (IOException e) {
      end(c, false, "connect: " + e.getMessage());
    }
  }

  private void read(Conn c) throws IOException {
    while (true) {
      buffer.clear();
      int n = c.channel.read(buffer);
      if (n < 0) {
        boolean ok = c.state == RAW || c.state == DONE;
        end(c, ok, ok ? null : "connection closed by the server in state " + c.state);
        return;
      }
      if (n == 0) {
        return;
      }
      long recvMicros = wallMicros();
      long recvNanos = System.nanoTime();
      buffer.flip();
      buffer.get(bytes, 0, n);
      process(c, bytes, 0, n, recvMicros, recvNanos);
      if (c.ended) {
        return;
      }
      if (c.finishNow) {
        end(c, true, "closed by the client");
        return;
      }
      if (n < buffer.capacity()) {
        // why: a short read almost always drained the socket; reading again to see 0 would double
        // the syscalls, and the selector reports the socket again if more arrived meanwhile.
        return;
      }
    }
  }

  private void process(Conn c, byte[] b, int from, int to, long recvMicros, long recvNanos) {
    int i = from;
    while (i < to && !c.ended) {
      switch (c.state) {
        case HEAD -> {
          while (i < to) {
            if (c.headLen == c.head.length) {
              end(c, false, "response headers too long");
              return;
            }
            byte x = b[i++];
            c.head[c.headLen++] = x;
            if (x == '\n' && c.headLen >= 4 && c.head[c.headLen - 2] == '\r'
                && c.head[c.headLen - 3] == '\n' && c.head[c.headLen - 4] == '\r') {
              headers(c, recvMicros, recvNanos);
              break;
            }
          }
        }
        case CHUNK_SIZE -> {
          byte x = b[i++];
          int d = Character.digit(x, 16);
          if (d >= 0) {
            c.remaining = c.remaining * 16 + d;
          } else if (x == '\n') {
            afterChunkSize(c);
          } else {
            c.state = CHUNK_EXT;
          }
        }
        case CHUNK_EXT -> {
          if (b[i++] == '\n') {
            afterChunkSize(c);
          }
        }
        case CHUNK_DATA -> {
          int take = (int) Math.min(c.remaining, to - i);
          body(c, b, i, i + take, recvMicros, recvNanos);
          i += take;
          c.remaining -= take;
          if (c.remaining == 0) {
            c.state = CHUNK_CRLF;
            c.crlfToSkip = 2;
          }
        }
        case CHUNK_CRLF -> {
          i++;
          if (--c.crlfToSkip == 0) {
            c.state = CHUNK_SIZE;
            c.remaining = 0;
          }
        }
        case LENGTH -> {
          int take = (int) Math.min(c.remaining, to - i);
          body(c, b, i, i + take, recvMicros, recvNanos);
          i += take;
          c.remaining -= take;
          if (c.remaining == 0) {
            c.state = DONE;
            end(c, true, null);
          }
        }
        case RAW -> {
          body(c, b, i, to, recvMicros, recvNanos);
          i = to;
        }
        default -> i = to;
      }
    }
  }

  private void afterChunkSize(Conn c) {
    if (c.remaining == 0) {
      c.state = DONE;
      end(c, true, null);
    } else {
      c.state = CHUNK_DATA;
    }
  }

  private void headers(Conn c, long recvMicros, long recvNanos) {
    String h = new String(c.head, 0, c.headLen, StandardCharsets.ISO_8859_1);
    int sp = h.indexOf(' ');
    c.status = Integer.parseInt(h.substring(sp + 1, sp + 4));
    String lower = h.toLowerCase();
    c.headersNanos = recvNanos;
    c.headersMicros = recvMicros;
    pending--;
    c.listener.onHeaders(c);
    if (lower.contains("\ntransfer-encoding: chunked")) {
      c.chunked = true;
      c.state = CHUNK_SIZE;
      c.remaining = 0;
      return;
    }
    int cl = lower.indexOf("\ncontent-length:");
    if (cl >= 0) {
      int eol = lower.indexOf('\r', cl);
      c.remaining = Long.parseLong(lower.substring(cl + 16, eol).trim());
      c.state = LENGTH;
      if (c.remaining == 0) {
        c.state = DONE;
        end(c, true, null);
      }
      return;
    }
    if (c.status == 204 || c.status == 304) {
      c.state = DONE;
      end(c, true, null);
      return;
    }
    c.closeDelimited = true;
    c.state = RAW;
  }

  private void body(Conn c, byte[] b, int from, int to, long recvMicros, long recvNanos) {
    if (to <= from) {
      return;
    }
    if (c.firstByteNanos == 0) {
      c.firstByteNanos = recvNanos;
      c.listener.onFirstByte(c);
    }
    c.lastByteNanos = recvNanos;
    c.bodyBytes += to - from;
    // scan for w<digits>|<digits>
    int s = c.scan;
    for (int i = from; i < to; i++) {
      byte x = b[i];
      switch (s) {
        case 0 -> {
          if (x == 'w') {
            s = 1;
            c.scanIndex = 0;
            c.scanDigits = 0;
          }
        }
        case 1 -> {
          if (x >= '0' && x <= '9') {
            c.scanIndex = c.scanIndex * 10 + (x - '0');
            c.scanDigits++;
          } else if (x == '|' && c.scanDigits > 0) {
            s = 2;
            c.scanMicros = 0;
            c.scanDigits = 0;
          } else {
            s = x == 'w' ? 1 : 0;
            c.scanIndex = 0;
            c.scanDigits = 0;
          }
        }
        default -> {
          if (x >= '0' && x <= '9') {
            c.scanMicros = c.scanMicros * 10 + (x - '0');
            c.scanDigits++;
          } else {
            if (c.scanDigits > 0) {
              stamp(c, c.scanIndex, c.scanMicros, recvMicros);
            }
            s = x == 'w' ? 1 : 0;
            c.scanIndex = 0;
            c.scanDigits = 0;
          }
        }
      }
    }
    c.scan = s;
  }

  private static void stamp(Conn c, long index, long micros, long recvMicros) {
    if (index != c.lastIndex + 1) {
      c.outOfOrder++;
    }
    c.lastIndex = index;
    c.stamps++;
    c.listener.onStamp(c, index, micros, recvMicros);
  }

  private void end(Conn c, boolean ok, String why) {
    if (c.ended) {
      return;
    }
    c.ended = true;
    if (c.headersNanos == 0) {
      pending--;
    }
    open--;
    try {
      c.channel.close();
    } catch (IOException | RuntimeException e) {
      // closing
    }
    c.ok = ok;
    c.why = why;
    long retry = c.listener.onEnd(c, ok, why);
    if (retry >= 0 && running) {
      c.retryAt = System.nanoTime() + retry * 1_000_000L;
      retries.add(c);
    }
  }

  /** Closes every connection of the engine (on its thread) and stops it. */
  @Override
  public synchronized void close() {
    if (!selector.isOpen()) {
      return;
    }
    running = false;
    selector.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey key : selector.keys()) {
      try {
        key.channel().close();
      } catch (IOException e) {
        // closing
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing
    }
  }
}
