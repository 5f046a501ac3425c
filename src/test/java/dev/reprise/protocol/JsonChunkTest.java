package dev.reprise.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonChunkTest {
  private final Json json = new Json();

  private static final List<String> EDGES =
      List.of(
          "",
          "plain words ",
          "\"quoted\" and \\back\\slashes\\",
          "line\nbreak\r\nand\ttab\bback\fform",
          "controls \u0000\u0001\u001f\u007f",
          "slash / and </script>",
          "line separators \u2028\u2029",
          "wörds, 中文, emoji 😀, a lone \ud83d surrogate",
          "{\"type\":\"text-delta\"}");

  @Test
  void deltas_are_written_exactly_as_the_mapper_writes_them() throws Exception {
    List<String> texts = new ArrayList<>(EDGES);
    Random random = new Random(20261208);
    for (int i = 0; i < 2_000; i++) {
      texts.add(randomText(random));
    }
    for (String text : texts) {
      for (UiChunk chunk :
          List.of(
              new UiChunk.TextDelta("t-" + text, text), new UiChunk.ReasoningDelta(text, text))) {
        assertThat(json.writeChunk(chunk))
            .as("%s", chunk)
            .isEqualTo(json.mapper().writeValueAsString(chunk));
      }
    }
  }

  @Test
  void deltas_with_a_missing_field_and_every_other_chunk_go_through_the_mapper() throws Exception {
    List<UiChunk> chunks =
        List.of(
            new UiChunk.TextDelta("t", null),
            new UiChunk.ReasoningDelta(null, "r"),
            new UiChunk.TextStart("t"),
            new UiChunk.Finish(null, null));
    for (UiChunk chunk : chunks) {
      assertThat(json.writeChunk(chunk)).isEqualTo(json.mapper().writeValueAsString(chunk));
    }
  }

  /** Up to 40 code points from ASCII, controls, Latin-1, CJK and astral planes, some unpaired. */
  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(41);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0 -> text.append((char) random.nextInt(0x20));
        case 1 -> text.append((char) (0x20 + random.nextInt(0x60)));
        case 2 -> text.append((char) (0x80 + random.nextInt(0x780)));
        case 3 -> text.append((char) (0x4e00 + random.nextInt(0x5000)));
        case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0x10000));
        default -> text.append((char) (0xd800 + random.nextInt(0x800)));
      }
    }
    return text.toString();
  }
}
