package dev.reprise.model.agent;

import static dev.reprise.model.ModelRun.json;
import static dev.reprise.model.ModelRun.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {
  @Test
  void a_tool_call_without_a_result_and_the_answer_being_written_are_left_out() {
    var stopped =
        json(
            "{'id':'a1','role':'assistant','parts':[{'type':'step-start'},"
                + "{'type':'text','text':'Let me look.','state':'done'},"
                + "{'type':'tool-clock','toolCallId':'c1','state':'input-available','input':{}}]}");
    var current = json("{'id':'a2','role':'assistant','parts':[{'type':'text','text':'partial'}]}");

    List<ChatMessage> messages =
        History.of(List.of(user("u1", "Hi"), stopped, user("u2", "Again"), current), "a2", 10_000);

    assertThat(messages)
        .containsExactly(
            UserMessage.from("Hi"), AiMessage.from("Let me look."), UserMessage.from("Again"));
  }

  @Test
  void over_the_budget_the_oldest_turns_go_first_and_the_last_turn_stays() {
    String long1 = "a".repeat(4000);
    String long2 = "b".repeat(4000);
    var history =
        List.of(
            user("u1", long1),
            json("{'id':'a1','role':'assistant','parts':[{'type':'text','text':'one'}]}"),
            user("u2", long2),
            json("{'id':'a2','role':'assistant','parts':[{'type':'text','text':'two'}]}"),
            user("u3", "c".repeat(8000)));

    assertThat(History.of(history, "a3", 3100))
        .containsExactly(
            UserMessage.from(long2), AiMessage.from("two"), UserMessage.from("c".repeat(8000)));
    assertThat(History.of(history, "a3", 1000)).containsExactly(UserMessage.from("c".repeat(8000)));
  }
}
