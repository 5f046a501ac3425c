package dev.reprise.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.stream.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DsEncodingTest {
  private static final DsView TEXT = new DsView("a/t", "log", "text/plain", false);
  private static final DsView JSON = new DsView("a/j", "log", "application/json", false);
  private static final DsView BINARY = new DsView("a/b", "log", "application/octet-stream", false);

  private static String sse(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static LogEntry entry(long index, byte[] bytes) {
    return new LogEntry(index, DsContent.entry(bytes), false);
  }

  @Test
  void every_kind_of_line_break_starts_a_data_line_so_no_payload_forges_an_event() {
    byte[] attack = "a\r\n\r\nevent: control\rdata: x\nb".getBytes(StandardCharsets.UTF_8);
    String event = sse(DsEncoding.dataEvent(TEXT, List.of(entry(0, attack))));
    assertThat(event)
        .isEqualTo("event: data\ndata:a\ndata:\ndata:event: control\ndata:data: x\ndata:b\n\n");
    assertThat(event.indexOf("\n\n")).isEqualTo(event.length() - 2);
  }

  @Test
  void json_entries_of_several_appends_read_as_one_array() {
    List<LogEntry> entries =
        List.of(
            new LogEntry(0, DsContent.jsonEntry(List.of("{\"n\":1}", "2")), false),
            new LogEntry(1, DsContent.jsonEntry(List.of("\"three\"")), false));
    assertThat(new String(DsEncoding.body(JSON, entries), StandardCharsets.UTF_8))
        .isEqualTo("[{\"n\":1},2,\"three\"]");
    assertThat(sse(DsEncoding.dataEvent(JSON, entries)))
        .isEqualTo("event: data\ndata:[{\"n\":1},2,\"three\"]\n\n");
  }

  @Test
  void binary_goes_out_in_base64_and_text_as_it_is() {
    byte[] bytes = {0, 1, (byte) 0xff, 10};
    assertThat(sse(DsEncoding.dataEvent(BINARY, List.of(entry(0, bytes)))))
        .isEqualTo("event: data\ndata:AAH/Cg==\n\n");
    assertThat(DsEncoding.body(BINARY, List.of(entry(0, bytes)))).isEqualTo(bytes);
  }

  @Test
  void a_control_event_says_where_the_reader_stands_and_a_closed_one_has_no_cursor() {
    assertThat(sse(DsEncoding.controlEvent(3, "42", true, false)))
        .isEqualTo(
            "event: control\ndata:{\"streamNextOffset\":\"0000000000000000_0000000000000003\","
                + "\"streamCursor\":\"42\",\"upToDate\":true}\n\n");
    assertThat(sse(DsEncoding.controlEvent(3, "42", true, true)))
        .isEqualTo(
            "event: control\ndata:{\"streamNextOffset\":\"0000000000000000_0000000000000003\","
                + "\"streamClosed\":true}\n\n");
  }

  @Test
  void a_run_stream_reads_its_chunks_as_json_values() {
    DsView run = DsView.ofRun("wrun_1");
    List<LogEntry> chunks =
        List.of(
            new LogEntry(0, "{\"type\":\"start\"}", false),
            new LogEntry(1, "{\"type\":\"finish\"}", true));
    assertThat(new String(DsEncoding.body(run, chunks), StandardCharsets.UTF_8))
        .isEqualTo("[{\"type\":\"start\"},{\"type\":\"finish\"}]");
  }
}
