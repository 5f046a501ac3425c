package dev.reprise.http;

import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Bodies;
import dev.reprise.testing.RunningServer;
import dev.reprise.testing.SseEvents;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a user's text holds (newlines, lone {@code \r}, lines that look like SSE fields, any
 * unicode), the stream carries it as JSON inside single {@code data:} lines: parsed back, the text
 * deltas spell it exactly and the stream has exactly one {@code finish}.
 */
class SseFramingPropertyTest {
  // why: these words make the offline model call a tool or fail instead of echoing.
  private static final java.util.regex.Pattern TRIGGERS =
      java.util.regex.Pattern.compile("(?i)\\b(tool|fail)\\b");

  private static RunningServer server;
  private static ApiClient client;
  private static String key;

  @BeforeContainer
  static void start() {
    server =
        RunningServer.start(
            Map.of("REPRISE_OFFLINE_DELAY_MS", "0", "REPRISE_LIMIT_RUNS_PER_MINUTE", "100000"));
    client = server.client();
    key = server.newKey("framing");
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  @Provide
  Arbitrary<String> tricky() {
    Arbitrary<String> pieces =
        Arbitraries.oneOf(
            Arbitraries.of(
                "\n",
                "\r",
                "\r\n",
                "\n\n",
                "data: ",
                "data:[DONE]",
                "id: 7",
                "event: x",
                ": ping",
                "retry: 1",
                "{\"type\":\"finish\"}",
                "\u2028",
                "\u0085",
                "😀",
                "é",
                "\t",
                " "),
            Arbitraries.strings().ofMinLength(1).ofMaxLength(8),
            Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4));
    return pieces
        .list()
        .ofMinSize(1)
        .ofMaxSize(12)
        .map(l -> String.join("", l))
        .filter(s -> !s.isBlank() && !TRIGGERS.matcher(s).find() && isWellFormed(s));
  }

  @Property(tries = 60)
  void any_user_text_comes_back_byte_equal_through_the_stream(@ForAll("tricky") String text) {
    String body =
        Bodies.JSON
            .createObjectNode()
            .put("id", newChatId())
            .set("messages", Bodies.JSON.createArrayNode().add(Bodies.userMessage("t1", text)))
            .toString();

    HttpResponse<String> res = client.post("/api/chat", body, "x-api-key", key);

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    List<String> chunks = SseEvents.chunks(res.body());
    assertThat(types(chunks).getLast()).isEqualTo("finish");
    assertThat(types(chunks).stream().filter("finish"::equals)).hasSize(1);
    // why: compared as code points, so that a failure report shows every character.
    assertThat(codePoints(Bodies.text(chunks))).isEqualTo(codePoints("You said: " + text));
  }

  private static List<String> codePoints(String text) {
    return text.codePoints().mapToObj(Integer::toHexString).toList();
  }

  /** Text a client can send at all: no lone surrogate (UTF-8 has no encoding for one). */
  private static boolean isWellFormed(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text);
  }
}
