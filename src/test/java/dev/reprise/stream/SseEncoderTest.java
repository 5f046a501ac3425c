package dev.reprise.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseEncoderTest {

  private static String text(byte[] bytes) {
    return new String(bytes, UTF_8);
  }

  /** What an SSE client (WHATWG event-stream parsing) makes of one event: its id and data. */
  private static List<String> parse(byte[] event) {
    String id = null;
    List<String> data = new ArrayList<>();
    for (String line : text(event).split("\r\n|\r|\n", -1)) {
      if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    return List.of(String.valueOf(id), String.join("\n", data));
  }

  @Test
  void an_event_is_an_id_line_a_data_line_and_a_blank_line() {
    assertThat(text(SseEncoder.event(7, "{\"type\":\"start\"}")))
        .isEqualTo("id: 7\ndata: {\"type\":\"start\"}\n\n");
  }

  @Test
  void an_event_without_id_has_only_its_data_line() {
    assertThat(text(SseEncoder.event("{\"type\":\"finish\"}")))
        .isEqualTo("data: {\"type\":\"finish\"}\n\n");
  }

  @Test
  void line_feeds_split_the_data_into_several_data_lines() {
    assertThat(text(SseEncoder.event(1, "a\nb\nc")))
        .isEqualTo("id: 1\ndata: a\ndata: b\ndata: c\n\n");
  }

  @Test
  void a_carriage_return_line_feed_is_one_line_break() {
    assertThat(text(SseEncoder.event(1, "a\r\nb"))).isEqualTo("id: 1\ndata: a\ndata: b\n\n");
  }

  @Test
  void a_lone_carriage_return_is_a_line_break_too() {
    assertThat(text(SseEncoder.event(1, "a\rb"))).isEqualTo("id: 1\ndata: a\ndata: b\n\n");
    assertThat(text(SseEncoder.event("a\r"))).isEqualTo("data: a\ndata: \n\n");
  }

  @Test
  void empty_lines_inside_the_data_are_kept() {
    assertThat(text(SseEncoder.event(2, "a\n\nb\r\n")))
        .isEqualTo("id: 2\ndata: a\ndata: \ndata: b\ndata: \n\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "a\nb", "a\r\nb", "a\rb", "\n", "\r\n\r\n", "x\r\r\ny\n\rz", ""})
  void a_client_reads_back_the_data_with_line_breaks_as_line_feeds(String data) {
    String normalised = data.replace("\r\n", "\n").replace('\r', '\n');

    assertThat(parse(SseEncoder.event(42, data))).containsExactly("42", normalised);
  }

  @Test
  void unicode_data_is_encoded_as_utf_8() {
    String data = "{\"delta\":\"héllo wörld 你好 🌍\"}";

    byte[] event = SseEncoder.event(3, data);

    assertThat(event).isEqualTo(("id: 3\ndata: " + data + "\n\n").getBytes(UTF_8));
    assertThat(event).hasSize(data.getBytes(UTF_8).length + "id: 3\ndata: \n\n".length());
  }

  @Test
  void a_comment_is_a_colon_line_and_a_blank_line() {
    assertThat(text(SseEncoder.comment("ping"))).isEqualTo(": ping\n\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\rb", "a\r\nb", "\n"})
  void a_comment_refuses_line_breaks(String comment) {
    assertThatThrownBy(() -> SseEncoder.comment(comment))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void done_and_heartbeat_have_their_fixed_bytes() {
    assertThat(SseEncoder.DONE).isEqualTo("data: [DONE]\n\n".getBytes(UTF_8));
    assertThat(SseEncoder.HEARTBEAT).isEqualTo(": ping\n\n".getBytes(UTF_8));
  }

  @Test
  void a_frame_carries_the_encoded_event_of_its_entry() {
    Frame frame = Frame.of(new LogEntry(5, "{\"type\":\"abort\"}", false));

    assertThat(frame.index()).isEqualTo(5);
    assertThat(frame.data()).isEqualTo("{\"type\":\"abort\"}");
    assertThat(frame.sse()).isEqualTo(SseEncoder.event(5, "{\"type\":\"abort\"}"));
    assertThat(frame.finish()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{\"delta\":\"héllo 你好 🌍\"}", "plain", "", "a\nb", "a\r\nb", "\r", "x\r\r\ny\n"})
  void a_frame_gives_back_its_data_exactly_at_any_index(String data) {
    for (long index : new long[] {0, 9, 10, 12_345, Long.MAX_VALUE}) {
      Frame frame = Frame.of(new LogEntry(index, data, false));

      assertThat(frame.data()).isEqualTo(data);
      assertThat(parse(frame.sse()))
          .containsExactly(Long.toString(index), data.replace("\r\n", "\n").replace('\r', '\n'));
    }
  }

  @Test
  void a_frame_ends_the_stream_when_its_entry_says_so_whatever_its_text() {
    assertThat(Frame.of(new LogEntry(0, "{\"type\":\"finish\"}", true)).finish()).isTrue();
    assertThat(Frame.of(new LogEntry(0, "{\"type\":\"finish\"}", false)).finish()).isFalse();
    assertThat(Frame.of(new LogEntry(0, "{}", true)).finish()).isTrue();
  }
}
