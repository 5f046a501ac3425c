package dev.reprise.it;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.AtOnce;
import dev.reprise.testing.Bodies;
import dev.reprise.testing.Cluster;
import dev.reprise.testing.ServerProcess;
import dev.reprise.testing.SseEvents;
import dev.reprise.testing.ToolAnswers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool call that waits for the user is a fact in the store: it outlives the process that asked,
 * and any node answers it, exactly once.
 */
class ApprovalDurabilityTest {
  private static final Map<String, String> ENV = Map.of("REPRISE_OFFLINE_DELAY_MS", "5");

  @TempDir Path dataDir;

  private static List<JsonNode> chunks(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    List<JsonNode> chunks = new ArrayList<>();
    for (SseEvents.Event event : SseEvents.parse(res.body())) {
      if (!event.isDone()) {
        chunks.add(parse(event.data()));
      }
    }
    return chunks;
  }

  private static String ask(ApiClient client, String key) {
    String chatId = newChatId();
    List<JsonNode> asked =
        chunks(
            client.post("/api/chat", chatTurn(chatId, "approve a clock read"), "x-api-key", key));
    assertThat(asked).anyMatch(c -> c.path("type").asText().equals("tool-approval-request"));
    return chatId;
  }

  private static JsonNode chat(ApiClient client, String key, String chatId) {
    return parse(client.get("/api/chats/" + chatId, "x-api-key", key).body());
  }

  private static HttpResponse<String> approve(
      ApiClient client, String key, String chatId, JsonNode before) {
    return client.post(
        "/api/chat",
        ToolAnswers.resend(chatId, before, ToolAnswers.respond(true, null)),
        "x-api-key",
        key);
  }

  private static void assertContinued(List<JsonNode> chunks, String messageId) {
    assertThat(chunks.getFirst().path("messageId").asText()).isEqualTo(messageId);
    assertThat(chunks.get(1).path("type").asText()).isEqualTo("tool-output-available");
    assertThat(Bodies.text(chunks.stream().map(JsonNode::toString).toList()))
        .startsWith("Thank you. I checked the clock");
    assertThat(chunks.getLast().path("finishReason").asText()).isEqualTo("stop");
  }

  @Test
  void an_approval_waits_through_a_kill_and_restart_of_a_single_embedded_node() throws Exception {
    String key;
    String chatId;
    try (ServerProcess first = ServerProcess.start(dataDir, ENV)) {
      key = first.createKey("durable");
      chatId = ask(first.client(), key);
      first.kill();
    }
    try (ServerProcess second = ServerProcess.start(dataDir, ENV)) {
      ApiClient client = second.client();
      JsonNode before = chat(client, key, chatId);
      assertThat(before.path("waiting")).hasSize(1);
      String messageId = ToolAnswers.lastAssistant(before).path("id").asText();

      assertContinued(chunks(approve(client, key, chatId, before)), messageId);
      assertThat(chat(client, key, chatId).path("waiting")).isEmpty();
    }
  }

  @Test
  void any_node_answers_even_after_the_node_that_asked_is_gone_and_only_once() throws Exception {
    try (Cluster cluster = Cluster.start(3)) {
      String key = cluster.createKey("approvals");
      ApiClient a = cluster.client(0);
      ApiClient b = cluster.client(1);
      ApiClient c = cluster.client(2);

      String answeredElsewhere = ask(a, key);
      JsonNode before = chat(b, key, answeredElsewhere);
      String messageId = ToolAnswers.lastAssistant(before).path("id").asText();
      assertContinued(chunks(approve(b, key, answeredElsewhere, before)), messageId);
      assertThat(ToolAnswers.lastAssistant(chat(a, key, answeredElsewhere)).toString())
          .contains("Thank you. I checked the clock");

      String raced = ask(a, key);
      JsonNode racedBefore = chat(a, key, raced);
      assertThat(
              AtOnce.run(
                  List.of(
                      () -> approve(b, key, raced, racedBefore).statusCode(),
                      () -> approve(c, key, raced, racedBefore).statusCode())))
          .containsExactlyInAnyOrder(200, 409);

      String orphaned = ask(a, key);
      cluster.node(0).kill();
      JsonNode orphanedBefore = chat(b, key, orphaned);
      assertThat(orphanedBefore.path("waiting")).hasSize(1);
      assertContinued(
          chunks(approve(b, key, orphaned, orphanedBefore)),
          ToolAnswers.lastAssistant(orphanedBefore).path("id").asText());
      assertThat(chat(c, key, orphaned).path("waiting")).isEmpty();
    }
  }
}
