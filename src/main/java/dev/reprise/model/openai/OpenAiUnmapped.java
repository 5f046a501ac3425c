package dev.reprise.model.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.reprise.model.agent.StreamEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks LangChain4j's OpenAI client leaves unmapped: an {@code error} object inside a 200
 * stream (OpenAI, OpenRouter), reasoning in a {@code reasoning} field (OpenRouter, Ollama), and the
 * first chunk of a tool call, whose empty arguments LangChain4j does not report.
 */
final class OpenAiUnmapped {
  private static final ObjectMapper JSON = new ObjectMapper();

  List<StreamEvent> read(ServerSentEvent event) {
    String data = event.data();
    if (data == null || !data.startsWith("{")) {
      return List.of();
    }
    JsonNode chunk;
    try {
      chunk = JSON.readTree(data);
    } catch (JsonProcessingException e) {
      return List.of();
    }
    List<StreamEvent> events = new ArrayList<>();
    JsonNode error = chunk.path("error");
    if (error.isObject()) {
      events.add(new StreamEvent.ProviderError(errorType(error)));
      return events;
    }
    JsonNode delta = chunk.path("choices").path(0).path("delta");
    String reasoning = delta.path("reasoning").asText("");
    if (!reasoning.isEmpty()) {
      events.add(new StreamEvent.Reasoning(reasoning));
    }
    for (JsonNode call : delta.path("tool_calls")) {
      String id = call.path("id").asText("");
      String name = call.path("function").path("name").asText("");
      if (!name.isEmpty()) {
        events.add(
            new StreamEvent.ToolStarted(
                call.path("index").asInt(0), id.isEmpty() ? null : id, name));
      }
    }
    return events;
  }

  private static String errorType(JsonNode error) {
    if (error.path("type").isTextual()) {
      return error.path("type").asText();
    }
    JsonNode code = error.path("code");
    if (code.isTextual()) {
      return code.asText();
    }
    if (code.isInt()) {
      return code.asInt() == 429
          ? "rate_limit_error"
          : code.asInt() >= 500 ? "server_error" : "invalid_request_error";
    }
    return "unknown_error";
  }
}
