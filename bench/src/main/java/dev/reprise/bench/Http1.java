package dev.reprise.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal blocking HTTP/1.1 client on one keep-alive socket: for control requests and for
 * appends, where java.net.http would cost more CPU than the server it measures.
 */
final class Http1 implements AutoCloseable {
  record Response(int status, Map<String, String> headers, String body) {}

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  Http1(String host, int port) {
    this.host = host;
    this.port = port;
  }

  Response send(String method, String path, String body, String... headers) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return exchange(method, path, body, headers);
      } catch (IOException e) {
        close();
        if (attempt >= 1) {
          throw e;
        }
      }
    }
  }

  private Response exchange(String method, String path, String body, String... headers)
      throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(120_000);
      in = new BufferedInputStream(socket.getInputStream(), 65536);
      out = socket.getOutputStream();
    }
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder r = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    r.append("Host: ").append(host).append(':').append(port).append("\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      r.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    if (body != null || method.equals("POST") || method.equals("PUT")) {
      r.append("Content-Length: ").append(b.length).append("\r\n");
    }
    r.append("\r\n");
    byte[] h = r.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[h.length + b.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    out.write(all);
    out.flush();
    String status = line();
    if (status == null) {
      throw new IOException("connection closed");
    }
    int code = Integer.parseInt(status.substring(9, 12));
    Map<String, String> hs = new LinkedHashMap<>();
    String l;
    while ((l = line()) != null && !l.isEmpty()) {
      int c = l.indexOf(':');
      hs.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
    }
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(hs.get("transfer-encoding"))) {
      while (true) {
        String size = line();
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          while ((l = line()) != null && !l.isEmpty()) {
            // trailers
          }
          break;
        }
        content.write(in.readNBytes(n));
        line();
      }
    } else if (hs.containsKey("content-length")) {
      content.write(in.readNBytes(Integer.parseInt(hs.get("content-length"))));
    } else if (code != 204 && code != 304) {
      content.write(in.readAllBytes());
      close();
    }
    if ("close".equalsIgnoreCase(hs.get("connection"))) {
      close();
    }
    return new Response(code, hs, content.toString(StandardCharsets.UTF_8));
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
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing
      }
    }
    socket = null;
  }
}
