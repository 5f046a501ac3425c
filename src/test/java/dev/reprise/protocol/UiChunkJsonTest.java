package dev.reprise.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class UiChunkJsonTest {
  private static final Json JSON = new Json();

  private static JsonNode tree(String json) {
    return JSON.tree(json);
  }

  /** Every chunk type with the exact JSON the AI SDK expects for it. */
  static Stream<Arguments> chunks() {
    return Stream.of(
        Arguments.of(new UiChunk.Start("m1"), "{\"type\":\"start\",\"messageId\":\"m1\"}"),
        Arguments.of(
            new UiChunk.Start("m1", tree("{\"a\":1}")),
            "{\"type\":\"start\",\"messageId\":\"m1\",\"messageMetadata\":{\"a\":1}}"),
        Arguments.of(new UiChunk.StartStep(), "{\"type\":\"start-step\"}"),
        Arguments.of(new UiChunk.FinishStep(), "{\"type\":\"finish-step\"}"),
        Arguments.of(new UiChunk.TextStart("t1"), "{\"type\":\"text-start\",\"id\":\"t1\"}"),
        Arguments.of(
            new UiChunk.TextDelta("t1", "Hi \"you\"\n"),
            "{\"type\":\"text-delta\",\"id\":\"t1\",\"delta\":\"Hi \\\"you\\\"\\n\"}"),
        Arguments.of(new UiChunk.TextEnd("t1"), "{\"type\":\"text-end\",\"id\":\"t1\"}"),
        Arguments.of(
            new UiChunk.ReasoningStart("r1"), "{\"type\":\"reasoning-start\",\"id\":\"r1\"}"),
        Arguments.of(
            new UiChunk.ReasoningDelta("r1", "hmm"),
            "{\"type\":\"reasoning-delta\",\"id\":\"r1\",\"delta\":\"hmm\"}"),
        Arguments.of(new UiChunk.ReasoningEnd("r1"), "{\"type\":\"reasoning-end\",\"id\":\"r1\"}"),
        Arguments.of(
            new UiChunk.ToolInputStart("c1", "clock"),
            "{\"type\":\"tool-input-start\",\"toolCallId\":\"c1\",\"toolName\":\"clock\"}"),
        Arguments.of(
            new UiChunk.ToolInputDelta("c1", "{\"tz"),
            "{\"type\":\"tool-input-delta\",\"toolCallId\":\"c1\",\"inputTextDelta\":\"{\\\"tz\"}"),
        Arguments.of(
            new UiChunk.ToolInputAvailable("c1", "clock", tree("{\"timezone\":\"UTC\"}")),
            "{\"type\":\"tool-input-available\",\"toolCallId\":\"c1\",\"toolName\":\"clock\","
                + "\"input\":{\"timezone\":\"UTC\"}}"),
        Arguments.of(
            new UiChunk.ToolInputError("c1", "clock", tree("{}"), "bad input"),
            "{\"type\":\"tool-input-error\",\"toolCallId\":\"c1\",\"toolName\":\"clock\","
                + "\"input\":{},\"errorText\":\"bad input\"}"),
        Arguments.of(
            new UiChunk.ToolOutputAvailable("c1", tree("{\"time\":\"12:00\"}")),
            "{\"type\":\"tool-output-available\",\"toolCallId\":\"c1\","
                + "\"output\":{\"time\":\"12:00\"}}"),
        Arguments.of(
            new UiChunk.ToolOutputError("c1", "Cancelled"),
            "{\"type\":\"tool-output-error\",\"toolCallId\":\"c1\",\"errorText\":\"Cancelled\"}"),
        Arguments.of(
            new UiChunk.ToolApprovalRequest("approval_c1", "c1"),
            "{\"type\":\"tool-approval-request\",\"approvalId\":\"approval_c1\","
                + "\"toolCallId\":\"c1\"}"),
        Arguments.of(
            new UiChunk.ToolOutputDenied("c1"),
            "{\"type\":\"tool-output-denied\",\"toolCallId\":\"c1\"}"),
        Arguments.of(
            new UiChunk.MessageMetadata(tree("{\"b\":[1,2]}")),
            "{\"type\":\"message-metadata\",\"messageMetadata\":{\"b\":[1,2]}}"),
        Arguments.of(new UiChunk.Error("boom"), "{\"type\":\"error\",\"errorText\":\"boom\"}"),
        Arguments.of(new UiChunk.Abort(), "{\"type\":\"abort\"}"),
        Arguments.of(
            new UiChunk.Finish(FinishReason.STOP),
            "{\"type\":\"finish\",\"finishReason\":\"stop\"}"),
        Arguments.of(new UiChunk.Finish(null), "{\"type\":\"finish\"}"),
        Arguments.of(
            new UiChunk.Finish(FinishReason.OTHER, tree("{\"a\":2}")),
            "{\"type\":\"finish\",\"finishReason\":\"other\",\"messageMetadata\":{\"a\":2}}"));
  }

  @ParameterizedTest
  @MethodSource("chunks")
  void a_chunk_serialises_to_the_exact_ai_sdk_json(UiChunk chunk, String expected) {
    assertThat(JSON.write(chunk)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("chunks")
  void a_chunk_reads_back_from_its_json(UiChunk chunk, String json) {
    assertThat(JSON.chunk(json)).isEqualTo(chunk);
  }

  @ParameterizedTest
  @MethodSource("chunks")
  void no_chunk_has_a_title_or_reason_field(UiChunk chunk, String json) {
    assertThat(tree(JSON.write(chunk)).has("title")).isFalse();
    assertThat(tree(JSON.write(chunk)).has("reason")).isFalse();
  }

  @Test
  void every_chunk_type_is_in_the_table() {
    List<Class<?>> covered = chunks().<Class<?>>map(a -> a.get()[0].getClass()).distinct().toList();

    assertThat(covered)
        .containsExactlyInAnyOrder(
            Arrays.stream(UiChunk.class.getPermittedSubclasses()).toArray(Class<?>[]::new));
  }

  @Test
  void no_chunk_type_models_a_title_or_reason() {
    for (Class<?> type : UiChunk.class.getPermittedSubclasses()) {
      assertThat(Arrays.stream(type.getRecordComponents()).map(c -> c.getName()))
          .as(type.getSimpleName())
          .doesNotContain("title", "reason");
    }
  }

  @Test
  void newer_fields_a_client_may_send_are_dropped_on_the_way_through() {
    UiChunk abort = JSON.chunk("{\"type\":\"abort\",\"reason\":\"user\"}");
    UiChunk start =
        JSON.chunk(
            "{\"type\":\"tool-input-start\",\"toolCallId\":\"c1\",\"toolName\":\"clock\","
                + "\"title\":\"Clock\"}");

    assertThat(JSON.write(abort)).isEqualTo("{\"type\":\"abort\"}");
    assertThat(JSON.write(start))
        .isEqualTo("{\"type\":\"tool-input-start\",\"toolCallId\":\"c1\",\"toolName\":\"clock\"}");
  }

  @Test
  void finish_reasons_have_the_ai_sdk_wire_values_and_never_unknown() {
    assertThat(Arrays.stream(FinishReason.values()).map(FinishReason::wire))
        .containsExactlyInAnyOrder(
            "stop", "length", "content-filter", "tool-calls", "error", "other")
        .doesNotContain("unknown");
  }

  @ParameterizedTest
  @EnumSource(FinishReason.class)
  void every_finish_reason_round_trips_as_its_wire_value(FinishReason reason) {
    String json = JSON.write(new UiChunk.Finish(reason));

    assertThat(json).isEqualTo("{\"type\":\"finish\",\"finishReason\":\"" + reason.wire() + "\"}");
    assertThat(JSON.chunk(json)).isEqualTo(new UiChunk.Finish(reason));
  }
}
