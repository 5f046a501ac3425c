package dev.reprise.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DsContentTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void every_byte_value_survives_the_log_entry() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    assertThat(DsContent.bytes(DsContent.entry(all))).isEqualTo(all);
    byte[] text = "héllo\nwörld".getBytes(StandardCharsets.UTF_8);
    assertThat(DsContent.entry(text)).startsWith("u");
    assertThat(DsContent.bytes(DsContent.entry(text))).isEqualTo(text);
    assertThat(DsContent.entry(new byte[] {'a', 0})).startsWith("b");
  }

  @Test
  void a_json_append_flattens_one_level_of_array() {
    assertThat(DsContent.jsonValues(mapper, bytes("[1, [2, 3], {\"a\": [4]}]"), false))
        .containsExactly("1", "[2,3]", "{\"a\":[4]}");
    assertThat(DsContent.jsonValues(mapper, bytes(" {\"x\" : 1} "), false))
        .containsExactly("{\"x\":1}");
    assertThat(DsContent.jsonValues(mapper, bytes("[]"), true)).isEmpty();
  }

  @Test
  void bad_json_and_an_empty_array_are_refused_with_400() {
    assertThatThrownBy(() -> DsContent.jsonValues(mapper, bytes("{nope"), false))
        .isInstanceOfSatisfying(DsException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> DsContent.jsonValues(mapper, bytes("[]"), false))
        .isInstanceOfSatisfying(DsException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void content_types_compare_by_media_type_whatever_the_case_and_parameters() {
    assertThat(DsContent.sameType("Application/JSON; charset=utf-8", "application/json")).isTrue();
    assertThat(DsContent.sameType("text/plain", "text/html")).isFalse();
    assertThat(DsContent.isText("text/csv")).isTrue();
    assertThat(DsContent.isText("application/x-protobuf")).isFalse();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
