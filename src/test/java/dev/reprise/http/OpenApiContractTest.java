package dev.reprise.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

class OpenApiContractTest {

  private static final OpenApiContract CONTRACT = OpenApiContract.load();
  private static final String STREAM = "/api/chat/{chatId}/stream";
  private static final String RUN_ID = "wrun_01KVWZNM82NA7XKNEWWHG8VPHJ";
  private static final String CHAT_ID = "6f1c2a7e-4b0d-4c8e-9a51-2d3e4f5a6b7c";
  private static final Map<String, List<String>> JSON =
      Map.of("Content-Type", List.of("application/json"));

  private static final String VALID_SSE =
      """
      id:0
      data:{"type":"start","messageId":"msg_01KVWZNM82NA7XKNEWWHG8VPHJ"}

      id:1
      data: {"type":"start-step"}

      : ping

      id:2
      data:{"type":"text-start","id":"t0"}

      id:3
      data:{"type":"text-delta","id":"t0","delta":"hello "}

      id:4
      data:{"type":"text-end","id":"t0"}

      id:5
      data:{"type":"tool-input-available","toolCallId":"c1","toolName":"clock","input":{"timezone":"UTC"}}

      id:6
      data:{"type":"finish-step"}

      id:7
      data:{"type":"abort"}

      id:8
      data:{"type":"finish","finishReason":"other"}

      data: [DONE]

      """;

  private static Map<String, List<String>> sseHeaders() {
    return Map.of(
        "content-type", List.of("text/event-stream"),
        "cache-control", List.of("no-cache"),
        "x-vercel-ai-ui-message-stream", List.of("v1"),
        "x-workflow-run-id", List.of(RUN_ID),
        "x-workflow-stream-tail-index", List.of("8"));
  }

  private static List<String> violations(
      String method, String path, int status, Map<String, List<String>> headers, String body) {
    return CONTRACT.violations(method, path, status, headers, body);
  }

  @Test
  void documentDeclaresEveryOperationOfTheContract() {
    JsonNode doc = CONTRACT.document();
    assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(doc.at("/info/title").asText()).isEqualTo("reprise");
    List<String> operations = new ArrayList<>();
    doc.path("paths")
        .properties()
        .forEach(
            p ->
                p.getValue()
                    .properties()
                    .forEach(o -> operations.add(o.getKey() + " " + p.getKey())));
    assertThat(operations)
        .contains(
            "post /api/chat",
            "get /api/chat/{chatId}/stream",
            "post /api/chat/{chatId}/stop",
            "post /api/chat/runs",
            "get /api/chat/runs/{runId}",
            "get /api/chats",
            "get /api/chats/{chatId}",
            "delete /api/chats/{chatId}",
            "get /health",
            "get /openapi.yaml");
    assertThat(doc.at("/components/securitySchemes/apiKeyAuth/name").asText())
        .isEqualTo("x-api-key");
    assertThat(doc.at("/components/securitySchemes/bearerAuth/scheme").asText())
        .isEqualTo("bearer");
  }

  @Test
  void everyLocalRefResolves() {
    List<String> dangling = new ArrayList<>();
    collectDanglingRefs(CONTRACT.document(), CONTRACT.document(), dangling);
    assertThat(dangling).isEmpty();
  }

  private static void collectDanglingRefs(JsonNode doc, JsonNode node, List<String> dangling) {
    JsonNode ref = node.get("$ref");
    if (ref != null && ref.isTextual() && doc.at(ref.asText().substring(1)).isMissingNode()) {
      dangling.add(ref.asText());
    }
    node.forEach(child -> collectDanglingRefs(doc, child, dangling));
  }

  @Test
  void validErrorEnvelopePasses() {
    CONTRACT.check(
        "GET", STREAM, fake(401, JSON, "{\"status\":\"error\",\"message\":\"Unauthorized\"}"));
    assertThat(
            violations(
                "GET",
                STREAM,
                400,
                JSON,
                "{\"status\":\"error\",\"message\":\"bad\",\"missing_fields\":[\"startIndex\"]}"))
        .isEmpty();
  }

  @Test
  void envelopeWithExtraFieldFails() {
    assertThatThrownBy(
            () ->
                CONTRACT.check(
                    "GET",
                    STREAM,
                    fake(404, JSON, "{\"status\":\"error\",\"message\":\"x\",\"error\":\"x\"}")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET /api/chat/{chatId}/stream -> 404")
        .hasMessageContaining("property 'error' is not defined");
  }

  @Test
  void envelopeWithoutMessageFails() {
    assertThat(violations("POST", "/api/chat/{chatId}/stop", 403, JSON, "{\"status\":\"error\"}"))
        .singleElement()
        .asString()
        .startsWith("body")
        .contains("message");
  }

  @Test
  void envelopeWithWrongStatusValueFails() {
    assertThat(
            violations("GET", "/api/chats", 401, JSON, "{\"status\":\"fail\",\"message\":\"x\"}"))
        .isNotEmpty();
  }

  @Test
  void undocumentedStatusFails() {
    assertThatThrownBy(() -> CONTRACT.check("GET", "/api/chats", fake(500, JSON, "{}")))
        .hasMessageContaining("status 500 is not documented")
        .hasMessageContaining("200");
  }

  @Test
  void undocumentedOperationFails() {
    assertThat(violations("PUT", "/api/chats", 200, JSON, "{}"))
        .containsExactly("operation is not documented");
  }

  @Test
  void undocumentedContentTypeFails() {
    assertThat(
            violations(
                "GET", "/api/chats", 401, Map.of("content-type", List.of("text/html")), "<html>"))
        .singleElement()
        .asString()
        .contains("content-type");
  }

  @Test
  void bodyOnNoContentResponseFails() {
    assertThat(violations("GET", STREAM, 204, Map.of(), "")).isEmpty();
    assertThat(violations("GET", STREAM, 204, JSON, "{}")).isNotEmpty();
  }

  @Test
  void validSseStreamPasses() {
    CONTRACT.check("GET", STREAM, fake(200, sseHeaders(), VALID_SSE));
  }

  @Test
  void sseChunkOfUnknownTypeFails() {
    String body = VALID_SSE.replace("\"finish-step\"", "\"step-finish\"");
    assertThat(violations("GET", STREAM, 200, sseHeaders(), body))
        .singleElement()
        .asString()
        .contains("data line 6")
        .contains("unknown chunk type 'step-finish'");
  }

  @Test
  void sseChunkWithExtraOrMissingFieldFails() {
    String extra =
        VALID_SSE.replace("{\"type\":\"abort\"}", "{\"type\":\"abort\",\"reason\":\"x\"}");
    assertThat(violations("GET", STREAM, 200, sseHeaders(), extra))
        .singleElement()
        .asString()
        .contains("AbortChunk")
        .contains("reason");
    String missing = VALID_SSE.replace(",\"delta\":\"hello \"", "");
    assertThat(violations("GET", STREAM, 200, sseHeaders(), missing))
        .singleElement()
        .asString()
        .contains("TextDeltaChunk")
        .contains("delta");
  }

  @Test
  void emptyEventStreamFails() {
    assertThat(violations("GET", STREAM, 200, sseHeaders(), ": ping\n\n"))
        .containsExactly("event stream has no data lines");
  }

  @Test
  void badFinishReasonAndDataAfterDoneFail() {
    String reason = VALID_SSE.replace("\"other\"", "\"unknown\"");
    assertThat(violations("GET", STREAM, 200, sseHeaders(), reason)).hasSize(1);
    assertThat(
            violations(
                "GET", STREAM, 200, sseHeaders(), VALID_SSE + "data:{\"type\":\"finish\"}\n\n"))
        .singleElement()
        .asString()
        .contains("after [DONE]");
  }

  @Test
  void missingOrMalformedRequiredHeaderFails() {
    Map<String, List<String>> headers = new HashMap<>(sseHeaders());
    headers.remove("x-workflow-run-id");
    headers.put("x-workflow-stream-tail-index", List.of("-2"));
    assertThat(violations("GET", STREAM, 200, headers, VALID_SSE))
        .anySatisfy(p -> assertThat(p).contains("required header x-workflow-run-id is missing"))
        .anySatisfy(p -> assertThat(p).contains("header x-workflow-stream-tail-index '-2'"))
        .hasSize(2);
  }

  @Test
  void postChatNeedsTheChatIdHeader() {
    Map<String, List<String>> headers = new HashMap<>(sseHeaders());
    assertThat(violations("POST", "/api/chat", 200, headers, VALID_SSE))
        .containsExactly("required header x-reprise-chat-id is missing");
    headers.put("x-reprise-chat-id", List.of(CHAT_ID));
    assertThat(violations("POST", "/api/chat", 200, headers, VALID_SSE)).isEmpty();
  }

  @Test
  void runStatusTimestampsAndIdsAreChecked() {
    String ok =
        """
        {"runId":"%s","chatId":"%s","status":"completed","createdAt":"2026-11-26T12:00:00.000Z",
         "startedAt":"2026-11-26T12:00:00.010Z","completedAt":"2026-11-26T12:00:01.000Z","durationMs":990}
        """
            .formatted(RUN_ID, CHAT_ID);
    assertThat(violations("GET", "/api/chat/runs/{runId}", 200, JSON, ok)).isEmpty();
    for (String bad : new String[] {"yesterday", "2026-11-26T12:00:01.000123Z"}) {
      assertThat(
              violations(
                  "GET",
                  "/api/chat/runs/{runId}",
                  200,
                  JSON,
                  ok.replace("2026-11-26T12:00:01.000Z", bad)))
          .as(bad)
          .isNotEmpty()
          .allSatisfy(problem -> assertThat(problem).contains("completedAt"));
    }
    assertThat(
            violations("GET", "/api/chat/runs/{runId}", 200, JSON, ok.replace(CHAT_ID, "chat-1")))
        .singleElement()
        .asString()
        .contains("chatId");
  }

  @Test
  void runAcceptedNeedsLocation() {
    String body = "{\"runId\":\"%s\",\"chatId\":\"%s\"}".formatted(RUN_ID, CHAT_ID);
    assertThat(violations("POST", "/api/chat/runs", 202, JSON, body))
        .containsExactly("required header Location is missing");
    Map<String, List<String>> headers =
        Map.of(
            "content-type", List.of("application/json; charset=utf-8"),
            "location", List.of("/api/chat/runs/" + RUN_ID));
    assertThat(violations("POST", "/api/chat/runs", 202, headers, body)).isEmpty();
  }

  @Test
  void chatDetailIsStrict() {
    String chat =
        """
        {"id":"%s","title":"Hi","model":"offline","createdAt":"2026-11-26T12:00:00.000Z",
         "updatedAt":"2026-11-26T12:00:05.000Z","isStreaming":false}\
        """
            .formatted(CHAT_ID);
    String detail =
        "{\"chat\":%s,\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}],\"answers\":[],\"waiting\":[],\"isStreaming\":false}"
            .formatted(chat);
    assertThat(violations("GET", "/api/chats/{chatId}", 200, JSON, detail)).isEmpty();
    assertThat(
            violations(
                "GET",
                "/api/chats/{chatId}",
                200,
                JSON,
                detail.replace("\"role\"", "\"content\":\"hi\",\"role\"")))
        .isNotEmpty();
    assertThat(
            violations(
                "GET",
                "/api/chats",
                200,
                JSON,
                "{\"chats\":[" + chat.replace("\"title\":\"Hi\",", "") + "]}"))
        .singleElement()
        .asString()
        .contains("title");
  }

  private static HttpResponse<String> fake(
      int status, Map<String, List<String>> headers, String body) {
    return new FakeResponse(status, HttpHeaders.of(headers, (name, value) -> true), body);
  }

  private record FakeResponse(int statusCode, HttpHeaders headers, String body)
      implements HttpResponse<String> {
    @Override
    public HttpRequest request() {
      return HttpRequest.newBuilder(uri()).build();
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return URI.create("http://localhost/");
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
