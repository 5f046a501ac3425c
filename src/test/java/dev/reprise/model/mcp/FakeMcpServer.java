package dev.reprise.model.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small MCP server answering JSON-RPC as the protocol describes it: over stdin/stdout when run as
 * a program, or over streamable HTTP (plain JSON responses) on loopback. Tools: echo, fail and env
 * (the names of the environment variables it was started with).
 */
public final class FakeMcpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer http;
  final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();

  private FakeMcpServer(HttpServer http) {
    this.http = http;
  }

  /** Streamable HTTP on loopback at {@code /mcp}. */
  static FakeMcpServer http() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeMcpServer fake = new FakeMcpServer(server);
    server.createContext(
        "/mcp",
        exchange -> {
          fake.headers.add(Map.copyOf(exchange.getRequestHeaders()));
          if (!exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
          }
          JsonNode answer = answer(JSON.readTree(exchange.getRequestBody()));
          if (answer == null) {
            exchange.sendResponseHeaders(202, -1);
          } else {
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
    return fake;
  }

  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/mcp";
  }

  @Override
  public void close() {
    http.stop(0);
  }

  /** The stdio server: one JSON-RPC message per line. */
  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode answer = answer(JSON.readTree(line));
      if (answer != null) {
        out.println(JSON.writeValueAsString(answer));
      }
    }
  }

  static JsonNode answer(JsonNode request) {
    if (!request.has("id")) {
      return null;
    }
    ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
    response.set("id", request.get("id"));
    JsonNode params = request.path("params");
    ObjectNode result = response.putObject("result");
    switch (request.path("method").asText()) {
      case "initialize" -> {
        result.put("protocolVersion", params.path("protocolVersion").asText());
        result.putObject("capabilities").putObject("tools");
        result.putObject("serverInfo").put("name", "fake").put("version", "1.0.0");
      }
      case "tools/list" -> {
        var tools = result.putArray("tools");
        ObjectNode echo = tools.addObject().put("name", "echo").put("description", "Echoes text");
        ObjectNode schema = echo.putObject("inputSchema").put("type", "object");
        schema.putObject("properties").putObject("text").put("type", "string");
        schema.putArray("required").add("text");
        tools.addObject().put("name", "fail").putObject("inputSchema").put("type", "object");
        tools.addObject().put("name", "env").putObject("inputSchema").put("type", "object");
      }
      case "tools/call" -> {
        String text =
            switch (params.path("name").asText()) {
              case "echo" -> params.path("arguments").path("text").asText();
              case "env" -> String.join(",", new TreeSet<>(System.getenv().keySet()));
              default -> "it broke";
            };
        result.putArray("content").addObject().put("type", "text").put("text", text);
        result.put("isError", params.path("name").asText().equals("fail"));
      }
      default -> {}
    }
    return response;
  }
}
