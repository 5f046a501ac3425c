package dev.reprise.http;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.AtOnce;
import dev.reprise.testing.Bodies;
import dev.reprise.testing.ServerExtension;
import dev.reprise.testing.SseEvents;
import dev.reprise.testing.ToolAnswers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tool approvals and client-side tools over real HTTP: the request streams, the chat waits, the
 * first answer continues the same message, any other answer is refused and changes nothing.
 */
class ApprovalApiTest {
  @RegisterExtension static final ServerExtension SERVER = ServerExtension.withDefaults();
  private static final OpenApiContract CONTRACT = OpenApiContract.load();

  /** The offline model's answer: step-start, reasoning, then the clock call. */
  private static final int CLOCK_PART = 2;

  private static ApiClient client;
  private static String key;

  @BeforeAll
  static void signIn() {
    client = SERVER.client();
    key = SERVER.newKey("alice");
  }

  private static HttpResponse<String> post(String body) {
    return client.post("/api/chat", body, "x-api-key", key);
  }

  private static JsonNode chat(String chatId) {
    HttpResponse<String> res = client.get("/api/chats/" + chatId, "x-api-key", key);
    assertThat(res.statusCode()).isEqualTo(200);
    CONTRACT.check("GET", "/api/chats/{chatId}", res);
    return parse(res.body());
  }

  private static List<JsonNode> chunks(HttpResponse<String> res) {
    List<JsonNode> chunks = new ArrayList<>();
    for (SseEvents.Event event : SseEvents.parse(res.body())) {
      if (!event.isDone()) {
        chunks.add(parse(event.data()));
      }
    }
    return chunks;
  }

  /** A chat whose answer asks for approval to read the clock. */
  private static String waitingChat() {
    String chatId = newChatId();
    HttpResponse<String> res = post(chatTurn(chatId, "Please approve reading the clock"));
    assertThat(res.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = chunks(res);
    List<String> types = types(chunks.stream().map(JsonNode::toString).toList());
    assertThat(types).containsSubsequence("tool-input-available", "tool-approval-request");
    assertThat(chunks.getLast().path("finishReason").asText()).isEqualTo("tool-calls");
    return chatId;
  }

  @Test
  void an_approval_request_leaves_the_chat_waiting_durably() {
    String chatId = waitingChat();
    JsonNode detail = chat(chatId);
    JsonNode waiting = detail.path("waiting");
    assertThat(waiting).hasSize(1);
    assertThat(waiting.get(0).path("kind").asText()).isEqualTo("approval");
    assertThat(waiting.get(0).path("toolName").asText()).isEqualTo("clock");
    assertThat(detail.path("chat").path("isWaiting").asBoolean()).isTrue();
    JsonNode part = ToolAnswers.lastAssistant(detail).path("parts").get(CLOCK_PART);
    assertThat(part.path("state").asText()).isEqualTo("approval-requested");
    assertThat(part.path("approval").path("id").asText())
        .isEqualTo(waiting.get(0).path("id").asText());
    JsonNode listed = parse(client.get("/api/chats", "x-api-key", key).body());
    assertThat(listed.path("chats").findValuesAsText("id")).contains(chatId);
    listed
        .path("chats")
        .forEach(
            c -> {
              if (c.path("id").asText().equals(chatId)) {
                assertThat(c.path("isWaiting").asBoolean()).isTrue();
              }
            });
  }

  @Test
  void an_approval_continues_the_same_message_and_a_second_answer_gets_409() {
    String chatId = waitingChat();
    JsonNode before = chat(chatId);
    String messageId = ToolAnswers.lastAssistant(before).path("id").asText();
    String approve = ToolAnswers.resend(chatId, before, ToolAnswers.respond(true, null));

    HttpResponse<String> res = post(approve);
    assertThat(res.statusCode()).isEqualTo(200);
    CONTRACT.check("POST", "/api/chat", res);
    List<JsonNode> chunks = chunks(res);
    assertThat(chunks.getFirst().path("type").asText()).isEqualTo("start");
    assertThat(chunks.getFirst().path("messageId").asText()).isEqualTo(messageId);
    assertThat(chunks.get(1).path("type").asText()).isEqualTo("tool-output-available");
    assertThat(Bodies.text(chunks.stream().map(JsonNode::toString).toList()))
        .startsWith("Thank you. I checked the clock");

    JsonNode after = chat(chatId);
    assertThat(after.path("waiting")).isEmpty();
    assertThat(after.path("chat").path("isWaiting").asBoolean()).isFalse();
    assertThat(after.path("messages")).hasSize(2);
    JsonNode message = ToolAnswers.lastAssistant(after);
    assertThat(message.path("id").asText()).isEqualTo(messageId);
    JsonNode tool = message.path("parts").get(CLOCK_PART);
    assertThat(tool.path("state").asText()).isEqualTo("output-available");
    assertThat(tool.path("approval").path("approved").asBoolean()).isTrue();
    assertThat(message.path("parts").toString()).contains("Thank you. I checked the clock");

    HttpResponse<String> again = post(approve);
    assertThat(again.statusCode()).isEqualTo(409);
    CONTRACT.check("POST", "/api/chat", again);
    assertThat(chat(chatId).path("messages")).isEqualTo(after.path("messages"));
    assertThat(chat(chatId).path("answers")).hasSize(2);
  }

  @Test
  void two_tabs_approving_at_once_get_one_continuation_and_one_409() throws Exception {
    String chatId = waitingChat();
    String approve = ToolAnswers.resend(chatId, chat(chatId), ToolAnswers.respond(true, null));
    List<Integer> statuses =
        AtOnce.run(List.of(() -> post(approve).statusCode(), () -> post(approve).statusCode()));
    assertThat(statuses).containsExactlyInAnyOrder(200, 409);
    assertThat(chat(chatId).path("answers")).hasSize(2);
  }

  @Test
  void a_denial_streams_tool_output_denied_and_the_model_carries_on_without_the_tool() {
    String chatId = waitingChat();
    HttpResponse<String> res =
        post(ToolAnswers.resend(chatId, chat(chatId), ToolAnswers.respond(false, "not now")));
    assertThat(res.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = chunks(res);
    assertThat(chunks.get(1).path("type").asText()).isEqualTo("tool-output-denied");
    assertThat(Bodies.text(chunks.stream().map(JsonNode::toString).toList()))
        .contains("You did not let me check the clock (not now)");
    JsonNode tool = ToolAnswers.lastAssistant(chat(chatId)).path("parts").get(CLOCK_PART);
    assertThat(tool.path("state").asText()).isEqualTo("output-denied");
    assertThat(tool.path("approval").path("reason").asText()).isEqualTo("not now");
  }

  @Test
  void a_headless_approval_starts_a_run_that_any_client_can_watch() {
    String chatId = waitingChat();
    String approvalId = chat(chatId).path("waiting").get(0).path("id").asText();
    String path = "/api/chat/" + chatId + "/approvals/" + approvalId;

    HttpResponse<String> res = client.post(path, ToolAnswers.decision(true), "x-api-key", key);
    assertThat(res.statusCode()).isEqualTo(202);
    CONTRACT.check("POST", "/api/chat/{chatId}/approvals/{approvalId}", res);
    JsonNode accepted = parse(res.body());
    assertThat(accepted.path("status").asText()).isEqualTo("continued");
    String runId = accepted.path("runId").asText();
    assertThat(res.headers().firstValue("location")).hasValue("/api/chat/runs/" + runId);

    HttpResponse<String> watched =
        client.get("/api/chat/" + runId + "/stream?startIndex=0", "x-api-key", key);
    assertThat(watched.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = chunks(watched);
    assertThat(chunks.get(1).path("type").asText()).isEqualTo("tool-output-available");
    assertThat(chunks.getLast().path("type").asText()).isEqualTo("finish");

    HttpResponse<String> again = client.post(path, ToolAnswers.decision(false), "x-api-key", key);
    assertThat(again.statusCode()).isEqualTo(409);
    CONTRACT.check("POST", "/api/chat/{chatId}/approvals/{approvalId}", again);
  }

  @Test
  void bad_answers_get_clear_4xx_and_change_nothing() {
    String chatId = waitingChat();
    JsonNode before = chat(chatId);
    String approvalId = before.path("waiting").get(0).path("id").asText();
    String path = "/api/chat/" + chatId + "/approvals/";

    assertStatus(
        client.post(path + "approval_nope", ToolAnswers.decision(true), "x-api-key", key), 404);
    assertStatus(client.post(path + approvalId, "{}", "x-api-key", key), 400);
    assertStatus(client.post(path + approvalId, "{\"approved\":\"yes\"}", "x-api-key", key), 400);
    assertStatus(
        client.post(
            path + approvalId,
            "{\"approved\":true,\"reason\":\"" + "x".repeat(3000) + "\"}",
            "x-api-key",
            key),
        400);
    String bob = SERVER.newKey("bob");
    assertStatus(client.post(path + approvalId, ToolAnswers.decision(true), "x-api-key", bob), 403);
    assertStatus(
        client.post(
            "/api/chat",
            ToolAnswers.resend(chatId, before, ToolAnswers.respond(true, null)),
            "x-api-key",
            bob),
        403);
    assertStatus(
        post(
            ToolAnswers.resend(
                chatId,
                before,
                responded("approval_other").andThen(m -> approval(m).put("approved", true)))),
        404);
    assertStatus(post(ToolAnswers.resend(chatId, before, responded(approvalId))), 400);
    assertStatus(post(ToolAnswers.resend(chatId, before, m -> {})), 400);

    JsonNode after = chat(chatId);
    assertThat(after.path("waiting")).isEqualTo(before.path("waiting"));
    assertThat(after.path("messages")).isEqualTo(before.path("messages"));
    assertThat(after.path("answers")).hasSize(1);
  }

  /** The clock call marked responded to approval {@code id}, without a decision. */
  private static Consumer<ObjectNode> responded(String id) {
    return m ->
        ((ObjectNode) m.path("parts").get(CLOCK_PART))
            .put("state", "approval-responded")
            .putObject("approval")
            .put("id", id);
  }

  private static ObjectNode approval(ObjectNode message) {
    return (ObjectNode) message.path("parts").get(CLOCK_PART).path("approval");
  }

  private static void assertStatus(HttpResponse<String> res, int status) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    JsonNode error = parse(res.body());
    assertThat(error.path("status").asText()).isEqualTo("error");
    assertThat(error.path("message").asText()).isNotBlank();
  }

  @Test
  void a_stop_while_an_approval_waits_wins_and_a_later_approval_gets_409() {
    String chatId = waitingChat();
    JsonNode before = chat(chatId);
    HttpResponse<String> stop =
        client.post("/api/chat/" + chatId + "/stop", "{}", "x-api-key", key);
    assertThat(stop.statusCode()).isEqualTo(200);
    assertThat(parse(stop.body()).path("stopped").asBoolean()).isTrue();

    JsonNode after = chat(chatId);
    assertThat(after.path("waiting")).isEmpty();
    JsonNode tool = ToolAnswers.lastAssistant(after).path("parts").get(CLOCK_PART);
    assertThat(tool.path("state").asText()).isEqualTo("output-denied");
    assertThat(tool.path("approval").path("approved").asBoolean()).isFalse();

    assertThat(
            post(ToolAnswers.resend(chatId, before, ToolAnswers.respond(true, null))).statusCode())
        .isEqualTo(409);
    assertThat(chat(chatId).path("answers")).hasSize(1);
  }

  @Test
  void a_new_message_instead_of_an_answer_cancels_what_waited() {
    String chatId = waitingChat();
    JsonNode before = chat(chatId);
    assertThat(post(chatTurn(chatId, "never mind")).statusCode()).isEqualTo(200);
    JsonNode after = chat(chatId);
    assertThat(after.path("waiting")).isEmpty();
    JsonNode asked = after.path("messages").get(1);
    assertThat(asked.path("parts").get(CLOCK_PART).path("state").asText())
        .isEqualTo("output-denied");
    assertThat(asked.path("parts").get(CLOCK_PART).path("approval").path("reason").asText())
        .contains("new message");
    assertThat(
            post(ToolAnswers.resend(chatId, before, ToolAnswers.respond(true, null))).statusCode())
        .isEqualTo(409);
  }

  @Test
  void a_client_side_tool_waits_for_the_browser_and_its_output_continues_the_message() {
    String chatId = newChatId();
    HttpResponse<String> first = post(chatTurn(chatId, "Ask the client for my local time"));
    List<JsonNode> asked = chunks(first);
    List<String> types = types(asked.stream().map(JsonNode::toString).toList());
    assertThat(types).contains("tool-input-available").doesNotContain("tool-output-available");
    assertThat(types).doesNotContain("tool-output-error");
    JsonNode detail = chat(chatId);
    assertThat(detail.path("waiting").get(0).path("kind").asText()).isEqualTo("client-tool");
    assertThat(detail.path("waiting").get(0).path("toolName").asText()).isEqualTo("local_time");

    JsonNode output =
        JsonNodeFactory.instance.objectNode().put("time", "09:30").put("timezone", "Europe/Paris");
    HttpResponse<String> res = post(ToolAnswers.resend(chatId, detail, ToolAnswers.output(output)));
    assertThat(res.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = chunks(res);
    assertThat(chunks.get(1).path("type").asText()).isEqualTo("tool-output-available");
    assertThat(Bodies.text(chunks.stream().map(JsonNode::toString).toList()))
        .contains("Your browser answered")
        .contains("Europe/Paris");
    assertThat(chat(chatId).path("waiting")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !chat(chatId).path("chat").path("isStreaming").asBoolean());
  }

  @Test
  void a_stop_and_an_approval_that_race_end_in_one_consistent_state() throws Exception {
    for (int round = 0; round < 4; round++) {
      String chatId = waitingChat();
      String approve = ToolAnswers.resend(chatId, chat(chatId), ToolAnswers.respond(true, null));
      List<Integer> raced =
          AtOnce.run(
              List.of(
                  () -> post(approve).statusCode(),
                  () ->
                      client
                          .post("/api/chat/" + chatId + "/stop", "{}", "x-api-key", key)
                          .statusCode()));
      assertThat(raced.get(1)).isEqualTo(200);
      int approved = raced.get(0);
      assertThat(approved).isIn(200, 409);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !chat(chatId).path("chat").path("isStreaming").asBoolean());
      JsonNode detail = chat(chatId);
      assertThat(detail.path("waiting")).isEmpty();
      JsonNode tool = ToolAnswers.lastAssistant(detail).path("parts").get(CLOCK_PART);
      JsonNode answers = detail.path("answers");
      if (approved == 409) {
        // the stop won: the call ended denied and nothing continued the message
        assertThat(tool.path("state").asText()).isEqualTo("output-denied");
        assertThat(answers).hasSize(1);
      } else {
        // the approval won: its run continued the message, and ended completed or stopped
        assertThat(answers).hasSize(2);
        assertThat(answers.get(1).path("status").asText()).isIn("completed", "cancelled");
        assertThat(tool.path("approval").path("approved").asBoolean()).isTrue();
      }
    }
  }
}
