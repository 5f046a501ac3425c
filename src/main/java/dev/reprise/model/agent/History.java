package dev.reprise.model.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat's UIMessages as provider messages. Each assistant step becomes one assistant message
 * with its tool calls, followed by their results; reasoning is not sent back, and a tool call that
 * never got a result (a stopped run) is left out, since providers reject a dangling call. Over the
 * token budget, the oldest turns (a user message and the answers to it) go first; the last turn is
 * always kept.
 */
final class History {
  private static final int CHARS_PER_TOKEN = 4;
  private static final int TOKENS_PER_MESSAGE = 4;

  private History() {}

  static List<ChatMessage> of(List<JsonNode> messages, String answerId, int budgetTokens) {
    List<ChatMessage> system = new ArrayList<>();
    List<List<ChatMessage>> turns = new ArrayList<>();
    for (JsonNode message : messages) {
      if (answerId.equals(message.path("id").asText())) {
        continue;
      }
      switch (message.path("role").asText()) {
        case "system" -> {
          String text = texts(message.path("parts"));
          if (!text.isBlank()) {
            system.add(SystemMessage.from(text));
          }
        }
        case "user" -> {
          List<ChatMessage> turn = new ArrayList<>();
          String text = texts(message.path("parts"));
          if (!text.isBlank()) {
            turn.add(UserMessage.from(text));
          }
          turns.add(turn);
        }
        case "assistant" -> {
          if (turns.isEmpty()) {
            turns.add(new ArrayList<>());
          }
          turns.get(turns.size() - 1).addAll(assistant(message.path("parts")));
        }
        default -> {}
      }
    }
    long total = turns.stream().mapToLong(History::tokens).sum();
    while (turns.size() > 1 && total > budgetTokens) {
      total -= tokens(turns.remove(0));
    }
    List<ChatMessage> result = new ArrayList<>(system);
    turns.forEach(result::addAll);
    return result;
  }

  private static String texts(JsonNode parts) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : parts) {
      if ("text".equals(part.path("type").asText())) {
        text.append(text.isEmpty() ? "" : "\n\n").append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  private static List<ChatMessage> assistant(JsonNode parts) {
    List<ChatMessage> out = new ArrayList<>();
    Step step = new Step();
    for (JsonNode part : parts) {
      String type = part.path("type").asText();
      if (type.equals("step-start")) {
        step.into(out);
        step = new Step();
      } else if (type.equals("text")) {
        step.text(part.path("text").asText());
      } else if (type.startsWith("tool-") || type.equals("dynamic-tool")) {
        String name =
            type.equals("dynamic-tool") ? part.path("toolName").asText() : type.substring(5);
        step.tool(name, part);
      }
    }
    step.into(out);
    return out;
  }

  /** One model call of an assistant message: its text, its tool calls and their results. */
  private static final class Step {
    private final StringBuilder text = new StringBuilder();
    private final List<ToolExecutionRequest> requests = new ArrayList<>();
    private final List<ToolExecutionResultMessage> results = new ArrayList<>();

    void text(String more) {
      if (!more.isBlank()) {
        text.append(text.isEmpty() ? "" : "\n\n").append(more);
      }
    }

    void tool(String name, JsonNode part) {
      String id = part.path("toolCallId").asText();
      String result;
      boolean error;
      switch (part.path("state").asText()) {
        case "output-available" -> {
          JsonNode output = part.path("output");
          result = output.isTextual() ? output.asText() : output.toString();
          error = false;
        }
        case "output-error" -> {
          result = "Error: " + part.path("errorText").asText();
          error = true;
        }
        case "output-denied" -> {
          result = "Error: the user denied this tool call.";
          error = true;
        }
        default -> {
          return;
        }
      }
      JsonNode input = part.path("input");
      requests.add(
          ToolExecutionRequest.builder()
              .id(id)
              .name(name)
              .arguments(input.isObject() ? input.toString() : "{}")
              .build());
      results.add(
          ToolExecutionResultMessage.builder()
              .id(id)
              .toolName(name)
              .text(result)
              .isError(error ? Boolean.TRUE : null)
              .build());
    }

    void into(List<ChatMessage> out) {
      if (text.isEmpty() && requests.isEmpty()) {
        return;
      }
      AiMessage.Builder message = AiMessage.builder().toolExecutionRequests(requests);
      if (!text.isEmpty()) {
        message.text(text.toString());
      }
      out.add(message.build());
      out.addAll(results);
    }
  }

  private static long tokens(List<ChatMessage> turn) {
    long chars = 0;
    for (ChatMessage message : turn) {
      chars +=
          switch (message) {
            case UserMessage user -> user.hasSingleText() ? user.singleText().length() : 0;
            case AiMessage ai ->
                (ai.text() == null ? 0 : ai.text().length())
                    + ai.toolExecutionRequests().stream()
                        .mapToLong(r -> r.arguments().length() + r.name().length())
                        .sum();
            case ToolExecutionResultMessage result ->
                result.text() == null ? 0 : result.text().length();
            default -> 0;
          };
    }
    return chars / CHARS_PER_TOKEN + (long) turn.size() * TOKENS_PER_MESSAGE;
  }
}
