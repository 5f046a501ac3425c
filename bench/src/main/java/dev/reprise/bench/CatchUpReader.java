package dev.reprise.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A Durable Streams catch-up reader on one keep-alive socket: GET {@code ?offset=-1}, then GET
 * from each response's {@code Stream-Next-Offset} until one says {@code Stream-Up-To-Date: true}.
 * It keeps the bodies as bytes (no strings while the clock runs) and stamps the first request's
 * write, the first body byte and the last body byte.
 */
final class CatchUpReader implements AutoCloseable {
  record Read(
      int status,
      int gets,
      boolean upToDate,
      long sentNanos,
      long firstByteNanos,
      long lastByteNanos,
      byte[] body) {}

  private final String host;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private byte[] body = new byte[1 << 20];
  private int length;

  CatchUpReader(String host, int port) throws IOException {
    this.host = host + ":" + port;
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream(), 256 * 1024);
    out = socket.getOutputStream();
  }

  /** Reads {@code path} from its start, in at most {@code maxGets} GETs. */
  Read read(String path, int maxGets) throws IOException {
    String offset = "-1";
    long sent = 0;
    long first = 0;
    long last = 0;
    int gets = 0;
    int status = 0;
    boolean upToDate = false;
    length = 0;
    while (!upToDate && gets < maxGets) {
      byte[] request =
          ("GET " + path + "?offset=" + offset + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      long now = System.nanoTime();
      if (sent == 0) {
        sent = now;
      }
      out.write(request);
      out.flush();
      gets++;
      String statusLine = line();
      if (statusLine == null) {
        throw new IOException("connection closed after " + gets + " GETs");
      }
      status = Integer.parseInt(statusLine.substring(9, 12));
      long contentLength = -1;
      boolean chunked = false;
      String next = null;
      upToDate = false;
      String h;
      while ((h = line()) != null && !h.isEmpty()) {
        int c = h.indexOf(':');
        String name = h.substring(0, c).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(c + 1).trim();
        switch (name) {
          case "content-length" -> contentLength = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
          case "stream-next-offset" -> next = value;
          case "stream-up-to-date" -> upToDate = value.equalsIgnoreCase("true");
          default -> {}
        }
      }
      if (status != 200) {
        return new Read(status, gets, false, sent, first, last, Arrays.copyOf(body, length));
      }
      if (first == 0 && (chunked || contentLength > 0)) {
        if (in.available() == 0) {
          in.mark(1);
          in.read();
          in.reset();
        }
        first = System.nanoTime();
      }
      if (chunked) {
        while (true) {
          int n = Integer.parseInt(line().split(";")[0].trim(), 16);
          if (n == 0) {
            while ((h = line()) != null && !h.isEmpty()) {
              // trailers
            }
            break;
          }
          take(n);
          line();
        }
      } else if (contentLength > 0) {
        take((int) contentLength);
      }
      last = System.nanoTime();
      if (next == null) {
        throw new IOException("no Stream-Next-Offset in answer " + gets);
      }
      offset = next;
    }
    return new Read(status, gets, upToDate, sent, first, last, Arrays.copyOf(body, length));
  }

  private void take(int n) throws IOException {
    if (length + n > body.length) {
      body = Arrays.copyOf(body, Math.max(body.length * 2, length + n));
    }
    int got = in.readNBytes(body, length, n);
    if (got < n) {
      throw new IOException("body cut short");
    }
    length += n;
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int n = s.length();
        return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
      }
      s.append((char) c);
    }
    return s.isEmpty() ? null : s.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
