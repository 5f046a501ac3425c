package dev.reprise.model.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.model.Cancellation;
import dev.reprise.model.CancelledException;
import dev.reprise.model.ChatModel;
import dev.reprise.model.ChunkSink;
import dev.reprise.model.ModelException;
import dev.reprise.model.ModelRequest;
import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.MessageAssembler;
import dev.reprise.protocol.UiChunk;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchModelTest {
  private static final Json JSON = new Json();

  /** One call of the model as a run makes it: records the chunks and assembles the message. */
  private static final class ModelRun implements ChunkSink {
    final List<UiChunk> chunks = new CopyOnWriteArrayList<>();
    final Cancellation cancellation = new Cancellation();
    final MessageAssembler assembler;
    private final String messageId;

    ModelRun(String messageId) {
      this.messageId = messageId;
      this.assembler = new MessageAssembler(messageId);
    }

    @Override
    public void emit(UiChunk chunk) {
      chunks.add(chunk);
      assembler.accept(chunk);
    }

    FinishReason respond(ChatModel model, List<JsonNode> history) throws Exception {
      return model.respond(new ModelRequest("chat_1", messageId, history), this, cancellation);
    }

    ObjectNode message() {
      return assembler.message();
    }

    List<String> wire() {
      return chunks.stream().map(JSON::write).toList();
    }

    static JsonNode user(String id, String text) {
      return JSON.tree(
          "{\"id\":\""
              + id
              + "\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\""
              + text
              + "\"}]}");
    }
  }

  private static final Pattern DELTA = Pattern.compile("w(\\d+)\\|(\\d+) ");

  private static List<String> deltas(ModelRun run) {
    List<String> deltas = new ArrayList<>();
    for (UiChunk chunk : run.chunks) {
      if (chunk instanceof UiChunk.TextDelta d) {
        deltas.add(d.delta());
      }
    }
    return deltas;
  }

  @Test
  void the_reply_is_one_text_part_of_n_deltas_stamped_with_the_clock_in_microseconds()
      throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00.123456789Z"), ZoneOffset.UTC);
    ModelRun run = new ModelRun("msg_1");

    FinishReason reason =
        run.respond(new BenchModel(clock), List.of(ModelRun.user("u1", "chunks=3 interval=0")));

    assertThat(reason).isEqualTo(FinishReason.STOP);
    assertThat(run.wire())
        .containsExactly(
            "{\"type\":\"start-step\"}",
            "{\"type\":\"text-start\",\"id\":\"text-1\"}",
            "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"w0|1795694400123456 \"}",
            "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"w1|1795694400123456 \"}",
            "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"w2|1795694400123456 \"}",
            "{\"type\":\"text-end\",\"id\":\"text-1\"}",
            "{\"type\":\"finish-step\"}");
    assertThat(run.message().path("parts").size()).isEqualTo(2);
    assertThat(run.message().path("parts").get(1).path("text").asText())
        .isEqualTo("w0|1795694400123456 w1|1795694400123456 w2|1795694400123456 ");
  }

  @Test
  void without_parameters_it_sends_600_deltas_every_20_ms() throws Exception {
    assertThat(BenchModel.plan("go")).isEqualTo(new BenchModel.Plan(600, 20));
    assertThat(BenchModel.plan("chunks=10")).isEqualTo(new BenchModel.Plan(10, 20));
    assertThat(BenchModel.plan("interval=5 chunks=7")).isEqualTo(new BenchModel.Plan(7, 5));
    assertThat(BenchModel.plan("please: chunks = 0 interval = 1"))
        .isEqualTo(new BenchModel.Plan(0, 1));
  }

  @Test
  void absurd_parameters_are_refused_with_a_message_for_the_user() {
    assertThatThrownBy(() -> BenchModel.plan("chunks=99999999999"))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("at most");
    assertThatThrownBy(() -> BenchModel.plan("chunks=1 interval=99999999999999999999"))
        .isInstanceOf(ModelException.class);
  }

  @Test
  void deltas_follow_a_drift_corrected_schedule_from_the_start_and_carry_the_wall_clock()
      throws Exception {
    ModelRun run = new ModelRun("msg_1");
    long before = BenchModel.micros(Clock.systemUTC().instant());
    long startNanos = System.nanoTime();

    run.respond(
        new BenchModel(Clock.systemUTC()), List.of(ModelRun.user("u1", "chunks=10 interval=15")));

    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    long after = BenchModel.micros(Clock.systemUTC().instant());
    // why: delta i is due at t0 + (i+1)·I, so the last of 10 is due at 150 ms; sleeps never end
    // early, and a late one does not push the later deltas back.
    assertThat(elapsedMs).isBetween(150L, 1_000L);
    List<String> deltas = deltas(run);
    assertThat(deltas).hasSize(10);
    long previous = before;
    for (int i = 0; i < deltas.size(); i++) {
      Matcher m = DELTA.matcher(deltas.get(i));
      assertThat(m.matches()).as(deltas.get(i)).isTrue();
      assertThat(Integer.parseInt(m.group(1))).isEqualTo(i);
      long emitted = Long.parseLong(m.group(2));
      assertThat(emitted).isBetween(previous, after);
      // the first delta is due one interval after the start
      assertThat(emitted - before).isGreaterThanOrEqualTo((i + 1) * 15_000L - 2_000L);
      previous = emitted;
    }
  }

  @Test
  void a_stop_ends_the_reply_at_once() throws Exception {
    ModelRun run = new ModelRun("msg_1");
    BenchModel model = new BenchModel(Clock.systemUTC());
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              run.cancellation.cancel();
            });
    long start = System.nanoTime();

    assertThatThrownBy(
            () -> run.respond(model, List.of(ModelRun.user("u1", "chunks=5 interval=60000"))))
        .isInstanceOf(CancelledException.class);

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    assertThat(deltas(run)).isEmpty();
  }

  @Test
  void a_stopped_run_sends_nothing_more_even_when_the_deltas_are_overdue() {
    ModelRun run = new ModelRun("msg_1");
    run.cancellation.cancel();

    assertThatThrownBy(
            () ->
                run.respond(
                    new BenchModel(Clock.systemUTC()),
                    List.of(ModelRun.user("u1", "chunks=5 interval=0"))))
        .isInstanceOf(CancelledException.class);
    assertThat(run.chunks).isEmpty();
  }

  @Test
  void the_model_id_is_bench() {
    assertThat(new BenchModel(Clock.systemUTC()).id()).isEqualTo("bench");
  }
}
