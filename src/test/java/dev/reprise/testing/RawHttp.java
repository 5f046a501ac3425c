package dev.reprise.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 connection on a raw socket: sends bytes exactly as given and parses responses
 * strictly (a response to HEAD has no body, whatever its headers say), so that a server that sends
 * a body where none belongs, or one response too many, shows up as a desynchronised connection.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** A parsed response: status, headers (names in lower case) and body bytes. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  private RawHttp(InputStream in) {
    this.socket = null;
    this.in = in;
    this.out = OutputStream.nullOutputStream();
  }

  /**
   * Parses {@code bytes} as the responses to requests of {@code methods}, in order (the last method
   * stands for any further response); fails on anything that is not a whole response, including
   * bytes left over after the last one.
   */
  public static List<Response> parseAll(byte[] bytes, List<String> methods) {
    RawHttp parser = new RawHttp(new java.io.ByteArrayInputStream(bytes));
    List<Response> responses = new ArrayList<>();
    try {
      while (parser.in.available() > 0) {
        String method = methods.get(Math.min(responses.size(), methods.size() - 1));
        responses.add(parser.read(method));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return responses;
  }

  public RawHttp(int port, Duration timeout) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawHttp send(String request) {
    return send(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] request) {
    try {
      out.write(request);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Half-closes the connection: the server sees the end of the request stream. */
  public void shutdownOutput() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one response to a request of {@code method}. */
  public Response read(String method) {
    try {
      String statusLine = line();
      if (statusLine == null) {
        throw new IllegalStateException("the connection ended before a response");
      }
      if (!statusLine.matches("HTTP/1\\.[01] \\d{3}( .*)?")) {
        throw new IllegalStateException("not a status line: " + printable(statusLine));
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = line(); line != null && !line.isEmpty(); line = line()) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.merge(
              line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).strip(),
              (a, b) -> a + ", " + b);
        }
      }
      byte[] body;
      if (method.equals("HEAD") || status == 204 || status == 304 || status < 200) {
        body = new byte[0];
      } else if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
        body = chunked();
      } else if (headers.containsKey("content-length")) {
        body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
      } else {
        body = in.readAllBytes();
      }
      return new Response(status, headers, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Everything the server sends until it closes the connection or goes quiet for {@code quiet}: to
   * check that nothing follows a response.
   */
  public byte[] rest(Duration quiet) {
    try {
      socket.setSoTimeout((int) quiet.toMillis());
      ByteArrayOutputStream rest = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          rest.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        // the server went quiet without closing: nothing more came
      } catch (java.net.SocketException e) {
        // reset by the server after its answer: nothing more came
      }
      return rest.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the server closed the connection (reads end) within {@code wait}. */
  public boolean closedWithin(Duration wait) {
    try {
      socket.setSoTimeout((int) wait.toMillis());
      try {
        return in.read() < 0;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (java.net.SocketException e) {
        return true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      if (size == null) {
        throw new IllegalStateException("the connection ended inside a chunked body");
      }
      int semi = size.indexOf(';');
      int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
      if (n == 0) {
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      line();
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return out.toString();
  }

  /** Every status line in {@code bytes}: how many responses a connection carried. */
  public static List<Integer> statuses(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    List<Integer> statuses = new ArrayList<>();
    var matcher = java.util.regex.Pattern.compile("HTTP/1\\.[01] (\\d{3}) ").matcher(text);
    while (matcher.find()) {
      statuses.add(Integer.parseInt(matcher.group(1)));
    }
    return statuses;
  }

  @Override
  public void close() {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
