package dev.reprise.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {
  private static final Json JSON = new Json();

  private final MessageAssembler assembler = new MessageAssembler("m1");

  private static JsonNode tree(String json) {
    return JSON.tree(json.replace('\'', '"'));
  }

  private void accept(UiChunk... chunks) {
    for (UiChunk chunk : chunks) {
      assembler.accept(chunk);
    }
  }

  private JsonNode parts() {
    return assembler.message().get("parts");
  }

  @Test
  void text_parts_stream_and_then_are_done() {
    accept(
        new UiChunk.Start("m1"),
        new UiChunk.StartStep(),
        new UiChunk.TextStart("t1"),
        new UiChunk.TextDelta("t1", "Hello, "),
        new UiChunk.TextDelta("t1", "world!"));

    assertThat(parts())
        .isEqualTo(
            tree(
                "[{'type':'step-start'},"
                    + "{'type':'text','text':'Hello, world!','state':'streaming'}]"));

    accept(
        new UiChunk.TextEnd("t1"), new UiChunk.FinishStep(), new UiChunk.Finish(FinishReason.STOP));

    assertThat(assembler.message())
        .isEqualTo(
            tree(
                "{'id':'m1','role':'assistant','parts':[{'type':'step-start'},"
                    + "{'type':'text','text':'Hello, world!','state':'done'}]}"));
  }

  @Test
  void reasoning_and_text_become_parts_in_the_order_they_started() {
    accept(
        new UiChunk.StartStep(),
        new UiChunk.ReasoningStart("r1"),
        new UiChunk.ReasoningDelta("r1", "Let me "),
        new UiChunk.TextStart("t1"),
        new UiChunk.ReasoningDelta("r1", "think."),
        new UiChunk.ReasoningEnd("r1"),
        new UiChunk.TextDelta("t1", "Done."));

    assertThat(parts())
        .isEqualTo(
            tree(
                "[{'type':'step-start'},"
                    + "{'type':'reasoning','text':'Let me think.','state':'done'},"
                    + "{'type':'text','text':'Done.','state':'streaming'}]"));
  }

  @Test
  void a_tool_call_goes_from_input_streaming_to_output_available() {
    accept(new UiChunk.StartStep(), new UiChunk.ToolInputStart("c1", "clock"));
    assertThat(parts().get(1))
        .isEqualTo(tree("{'type':'tool-clock','toolCallId':'c1','state':'input-streaming'}"));

    accept(
        new UiChunk.ToolInputDelta("c1", "{\"timezone\":"),
        new UiChunk.ToolInputDelta("c1", "\"UTC\"}"),
        new UiChunk.ToolInputAvailable("c1", "clock", tree("{'timezone':'UTC'}")));
    assertThat(parts().get(1))
        .isEqualTo(
            tree(
                "{'type':'tool-clock','toolCallId':'c1','state':'input-available',"
                    + "'input':{'timezone':'UTC'}}"));

    accept(
        new UiChunk.ToolOutputAvailable("c1", tree("{'time':'12:00'}")),
        new UiChunk.FinishStep(),
        new UiChunk.StartStep(),
        new UiChunk.TextStart("t1"),
        new UiChunk.TextDelta("t1", "It is noon."),
        new UiChunk.TextEnd("t1"));

    assertThat(parts())
        .isEqualTo(
            tree(
                "[{'type':'step-start'},"
                    + "{'type':'tool-clock','toolCallId':'c1','state':'output-available',"
                    + "'input':{'timezone':'UTC'},'output':{'time':'12:00'}},"
                    + "{'type':'step-start'},"
                    + "{'type':'text','text':'It is noon.','state':'done'}]"));
  }

  @Test
  void a_failed_tool_call_keeps_its_input_and_gets_the_error_text() {
    accept(
        new UiChunk.ToolInputAvailable("c1", "clock", tree("{'timezone':'Mars'}")),
        new UiChunk.ToolOutputError("c1", "no such zone"));

    assertThat(parts())
        .isEqualTo(
            tree(
                "[{'type':'tool-clock','toolCallId':'c1','state':'output-error',"
                    + "'input':{'timezone':'Mars'},'errorText':'no such zone'}]"));
  }

  @Test
  void a_tool_input_error_makes_an_output_error_part() {
    accept(
        new UiChunk.ToolInputStart("c1", "clock"),
        new UiChunk.ToolInputError("c1", "clock", tree("{'tz':1}"), "invalid input"));

    assertThat(parts())
        .isEqualTo(
            tree(
                "[{'type':'tool-clock','toolCallId':'c1','state':'output-error',"
                    + "'input':{'tz':1},'errorText':'invalid input'}]"));
  }

  @Test
  void metadata_from_start_message_metadata_and_finish_is_merged() {
    accept(
        new UiChunk.Start("m1", tree("{'a':1,'b':1}")),
        new UiChunk.MessageMetadata(tree("{'b':2,'c':2}")),
        new UiChunk.Finish(FinishReason.STOP, tree("{'c':3}")));

    assertThat(assembler.message().get("metadata")).isEqualTo(tree("{'a':1,'b':2,'c':3}"));
  }

  @Test
  void nested_metadata_is_merged_deeply_like_the_ai_sdk_does() {
    accept(
        new UiChunk.Start("m1", tree("{'usage':{'input':5},'model':'x'}")),
        new UiChunk.Finish(FinishReason.STOP, tree("{'usage':{'output':7}}")));

    assertThat(assembler.message().get("metadata"))
        .isEqualTo(tree("{'usage':{'input':5,'output':7},'model':'x'}"));
  }

  @Test
  void a_message_without_metadata_has_no_metadata_field() {
    accept(new UiChunk.Start("m1"), new UiChunk.Finish(FinishReason.STOP));

    assertThat(assembler.message().has("metadata")).isFalse();
    assertThat(assembler.message()).isEqualTo(tree("{'id':'m1','role':'assistant','parts':[]}"));
  }

  @Test
  void error_and_abort_change_nothing_in_the_message() {
    accept(new UiChunk.TextStart("t1"), new UiChunk.TextDelta("t1", "partial"));
    JsonNode before = assembler.message();

    accept(new UiChunk.Error("boom"), new UiChunk.Abort());

    assertThat(assembler.message()).isEqualTo(before);
  }

  @Test
  void closing_chunks_close_open_reasoning_text_and_tool_calls() {
    accept(
        new UiChunk.StartStep(),
        new UiChunk.ToolInputAvailable("done", "clock", tree("{}")),
        new UiChunk.ToolOutputAvailable("done", tree("{}")),
        new UiChunk.ToolInputStart("streaming", "search"),
        new UiChunk.ToolInputAvailable("waiting", "clock", tree("{'tz':'UTC'}")),
        new UiChunk.ReasoningStart("r1"),
        new UiChunk.TextStart("t1"),
        new UiChunk.TextDelta("t1", "cut"));

    assertThat(assembler.closingChunks("Cancelled", false))
        .containsExactly(
            new UiChunk.ReasoningEnd("r1"),
            new UiChunk.TextEnd("t1"),
            new UiChunk.ToolInputAvailable("streaming", "search", tree("{}")),
            new UiChunk.ToolOutputError("streaming", "Cancelled"),
            new UiChunk.ToolOutputError("waiting", "Cancelled"));
  }

  @Test
  void after_the_closing_chunks_nothing_is_left_open() {
    accept(
        new UiChunk.ToolInputStart("c1", "clock"),
        new UiChunk.ReasoningStart("r1"),
        new UiChunk.TextStart("t1"));

    assembler.closingChunks("Cancelled", false).forEach(assembler::accept);

    assertThat(assembler.closingChunks("Cancelled", false)).isEmpty();
    assertThat(parts())
        .isEqualTo(
            tree(
                "[{'type':'tool-clock','toolCallId':'c1','state':'output-error','input':{},"
                    + "'errorText':'Cancelled'},"
                    + "{'type':'reasoning','text':'','state':'done'},"
                    + "{'type':'text','text':'','state':'done'}]"));
  }

  @Test
  void a_finished_answer_needs_no_closing_chunks() {
    accept(
        new UiChunk.StartStep(),
        new UiChunk.TextStart("t1"),
        new UiChunk.TextEnd("t1"),
        new UiChunk.FinishStep(),
        new UiChunk.Finish(FinishReason.STOP));

    assertThat(assembler.closingChunks("Cancelled", false)).isEmpty();
  }

  @Test
  void an_approval_request_and_a_denial_change_the_tool_part_as_the_client_does() {
    accept(
        new UiChunk.StartStep(),
        new UiChunk.ToolInputAvailable("c1", "clock", tree("{'tz':'UTC'}")),
        new UiChunk.ToolApprovalRequest("a1", "c1"));
    assertThat(parts().get(1))
        .isEqualTo(
            tree(
                "{'type':'tool-clock','toolCallId':'c1','state':'approval-requested',"
                    + "'input':{'tz':'UTC'},'approval':{'id':'a1'}}"));

    accept(new UiChunk.ToolOutputDenied("c1"));
    assertThat(parts().get(1).path("state").asText()).isEqualTo("output-denied");
  }

  @Test
  void calls_that_wait_for_the_user_stay_open_when_the_answer_ends_normally() {
    accept(
        new UiChunk.StartStep(),
        new UiChunk.ToolInputAvailable("asks", "clock", tree("{}")),
        new UiChunk.ToolApprovalRequest("a1", "asks"),
        new UiChunk.ToolInputAvailable("client", "local_time", tree("{}")));

    assertThat(assembler.closingChunks("Cancelled", true)).isEmpty();
    assertThat(assembler.closingChunks("Cancelled", false))
        .containsExactly(
            new UiChunk.ToolOutputError("asks", "Cancelled"),
            new UiChunk.ToolOutputError("client", "Cancelled"));
  }

  @Test
  void a_continued_message_keeps_its_parts_and_its_tool_calls_take_their_outputs() {
    JsonNode answered =
        ToolParts.answered(
            tree(
                "{'id':'m1','role':'assistant','metadata':{'model':'offline'},'parts':["
                    + "{'type':'step-start'},"
                    + "{'type':'tool-clock','toolCallId':'c1','state':'approval-requested',"
                    + "'input':{},'approval':{'id':'a1'}}]}"),
            java.util.List.of(new ToolAnswer.Approval("a1", "c1", true, "ok")));
    MessageAssembler continued = MessageAssembler.continuing(answered);
    continued.accept(new UiChunk.Start("m1"));
    continued.accept(new UiChunk.ToolOutputAvailable("c1", tree("{'time':'noon'}")));
    continued.accept(new UiChunk.StartStep());
    continued.accept(new UiChunk.TextStart("t1"));
    continued.accept(new UiChunk.TextDelta("t1", "It is noon."));
    continued.accept(new UiChunk.TextEnd("t1"));

    assertThat(continued.message())
        .isEqualTo(
            tree(
                "{'id':'m1','role':'assistant','parts':["
                    + "{'type':'step-start'},"
                    + "{'type':'tool-clock','toolCallId':'c1','state':'output-available',"
                    + "'input':{},'approval':{'id':'a1','approved':true,'reason':'ok'},"
                    + "'output':{'time':'noon'}},"
                    + "{'type':'step-start'},"
                    + "{'type':'text','text':'It is noon.','state':'done'}],"
                    + "'metadata':{'model':'offline'}}"));
  }
}
