package dev.reprise.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.MessageAssembler;
import dev.reprise.testing.Bodies;
import dev.reprise.testing.RunningServer;
import dev.reprise.testing.SseEvents;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Merged deltas change how many chunks a stream has, never what the client builds from them: the
 * same answer, streamed by a server that merges (REPRISE_COALESCE_MS=0, and a hold of 20 ms) and by
 * one that does not (off), assembles to byte-equal message parts, and to what the server stored.
 */
class CoalescingTest {
  private static final Json JSON = new Json();
  private static final String PROMPT = "reasoning please " + "alpha beta gamma delta ".repeat(400);

  @Test
  void merged_or_not_the_client_assembles_the_same_message() {
    String off = assembledParts("off");
    assertThat(assembledParts("0")).isEqualTo(off);
    assertThat(assembledParts("20")).isEqualTo(off);
  }

  private static String assembledParts(String coalesce) {
    try (RunningServer server =
        RunningServer.start(
            Map.of("REPRISE_COALESCE_MS", coalesce, "REPRISE_OFFLINE_DELAY_MS", "0"))) {
      String key = server.newKey("coalesce");
      String chatId = UUID.randomUUID().toString();
      HttpResponse<String> turn =
          server.client().post("/api/chat", Bodies.chatTurn(chatId, PROMPT), "x-api-key", key);
      assertThat(turn.statusCode()).isEqualTo(200);
      List<String> chunks = SseEvents.chunks(turn.body());
      MessageAssembler message = new MessageAssembler("msg");
      chunks.forEach(chunk -> message.accept(JSON.chunk(chunk)));
      String parts = JSON.write(message.message().get("parts"));
      JsonNode stored =
          JSON.tree(server.client().get("/api/chats/" + chatId, "x-api-key", key).body())
              .get("messages");
      assertThat(JSON.write(stored.get(stored.size() - 1).get("parts"))).isEqualTo(parts);
      assertThat(parts).contains("gamma");
      return parts;
    }
  }
}
