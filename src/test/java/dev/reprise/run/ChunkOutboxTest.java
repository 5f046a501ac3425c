package dev.reprise.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.protocol.Json;
import dev.reprise.protocol.MessageAssembler;
import dev.reprise.protocol.UiChunk;
import dev.reprise.stream.PartialAppendException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class ChunkOutboxTest {
  private final Json json = new Json();

  /**
   * A clock that stands still: no chunk comes {@link ChunkOutbox#PACED} after a write, so every
   * chunk goes through the drainer, as from a model faster than the log.
   */
  private static final LongSupplier FAST_MODEL = () -> 0L;

  /** A log whose first write blocks until released, so that what follows queues behind it. */
  private static final class GatedLog implements Consumer<List<UiChunk>> {
    final List<UiChunk> written = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> writes = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch entered = new CountDownLatch(1);
    volatile Thread enteredBy;
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void accept(List<UiChunk> chunks) {
      if (written.isEmpty()) {
        enteredBy = Thread.currentThread();
        entered.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      writes.add(chunks.size());
      written.addAll(chunks);
    }
  }

  private static List<UiChunk> answer() {
    return answer(200);
  }

  private static List<UiChunk> answer(int textDeltas) {
    List<UiChunk> chunks = new ArrayList<>();
    chunks.add(new UiChunk.Start("msg_1"));
    chunks.add(new UiChunk.StartStep());
    chunks.add(new UiChunk.ReasoningStart("r1"));
    for (int i = 0; i < 20; i++) {
      chunks.add(new UiChunk.ReasoningDelta("r1", "think " + i + "\n"));
    }
    chunks.add(new UiChunk.ReasoningEnd("r1"));
    chunks.add(new UiChunk.TextStart("t1"));
    for (int i = 0; i < textDeltas; i++) {
      chunks.add(new UiChunk.TextDelta("t1", "wörd" + i + (i % 7 == 0 ? "\r\n" : " ")));
    }
    chunks.add(new UiChunk.TextEnd("t1"));
    chunks.add(new UiChunk.FinishStep());
    chunks.add(new UiChunk.Finish(null, null));
    return chunks;
  }

  private List<UiChunk> writeThrough(Coalescing coalescing) throws Exception {
    return gatedThrough(coalescing, answer()).written;
  }

  private GatedLog gatedThrough(Coalescing coalescing, List<UiChunk> chunks) throws Exception {
    GatedLog log = new GatedLog();
    ChunkOutbox outbox = new ChunkOutbox(log, coalescing, FAST_MODEL);
    outbox.offer(chunks.getFirst());
    assertThat(log.entered.await(10, TimeUnit.SECONDS)).isTrue();
    chunks.subList(1, chunks.size()).forEach(outbox::offer);
    log.release.countDown();
    outbox.flush();
    return log;
  }

  private String assembled(List<UiChunk> chunks) {
    MessageAssembler message = new MessageAssembler("msg_1");
    chunks.forEach(message::accept);
    return json.write(message.message());
  }

  @Test
  void deltas_queued_behind_a_write_go_out_merged_and_the_message_is_byte_equal() throws Exception {
    List<UiChunk> merged = List.copyOf(writeThrough(Coalescing.ADAPTIVE));
    List<UiChunk> each = List.copyOf(writeThrough(Coalescing.OFF));
    assertThat(each).isEqualTo(answer());
    assertThat(merged).hasSize(10);
    assertThat(merged.get(3)).isInstanceOf(UiChunk.ReasoningDelta.class);
    assertThat(merged.get(6)).isInstanceOf(UiChunk.TextDelta.class);
    assertThat(assembled(merged)).isEqualTo(assembled(each));
  }

  @Test
  void what_queued_behind_a_write_goes_out_in_one_write_of_at_most_the_cap_also_unmerged()
      throws Exception {
    List<UiChunk> chunks = answer(2 * ChunkOutbox.MAX_PER_WRITE);
    int queued = chunks.size() - 1;

    GatedLog each = gatedThrough(Coalescing.OFF, chunks);

    assertThat(each.written).isEqualTo(chunks);
    assertThat(each.writes)
        .containsExactly(
            1,
            ChunkOutbox.MAX_PER_WRITE,
            ChunkOutbox.MAX_PER_WRITE,
            queued - 2 * ChunkOutbox.MAX_PER_WRITE);
    assertThat(gatedThrough(Coalescing.ADAPTIVE, chunks).writes).containsExactly(1, 9);
  }

  @Test
  void only_consecutive_deltas_of_one_part_merge() throws Exception {
    List<UiChunk> chunks =
        List.of(
            new UiChunk.Start("msg_1"),
            new UiChunk.TextDelta("t1", "a"),
            new UiChunk.TextDelta("t1", "b"),
            new UiChunk.TextDelta("t2", "c"),
            new UiChunk.TextDelta("t1", "d"),
            new UiChunk.ReasoningDelta("t1", "e"),
            new UiChunk.ReasoningDelta("t1", "f"),
            new UiChunk.TextDelta("t1", "g"));

    assertThat(gatedThrough(Coalescing.ADAPTIVE, chunks).written)
        .containsExactly(
            new UiChunk.Start("msg_1"),
            new UiChunk.TextDelta("t1", "ab"),
            new UiChunk.TextDelta("t2", "c"),
            new UiChunk.TextDelta("t1", "d"),
            new UiChunk.ReasoningDelta("t1", "ef"),
            new UiChunk.TextDelta("t1", "g"));
  }

  @Test
  void a_write_that_fails_stops_the_producer_and_the_next_flush_goes_on_from_it() {
    List<UiChunk> written = new ArrayList<>();
    boolean[] broken = {true};
    ChunkOutbox outbox =
        new ChunkOutbox(
            chunks -> {
              for (int i = 0; i < chunks.size(); i++) {
                if (chunks.get(i) instanceof UiChunk.TextEnd && broken[0]) {
                  throw new PartialAppendException(i, new IllegalStateException("disk full"));
                }
                written.add(chunks.get(i));
              }
            },
            Coalescing.OFF,
            FAST_MODEL);
    outbox.offer(new UiChunk.TextStart("t"));
    outbox.offer(new UiChunk.TextEnd("t"));
    assertThatThrownBy(outbox::flush).hasMessage("disk full");
    assertThatThrownBy(() -> outbox.offer(new UiChunk.Finish(null, null))).hasMessage("disk full");
    assertThatThrownBy(outbox::flush).hasMessage("disk full");
    broken[0] = false;
    outbox.flush();
    outbox.offer(new UiChunk.Finish(null, null));
    outbox.flush();
    assertThat(written)
        .containsExactly(
            new UiChunk.TextStart("t"), new UiChunk.TextEnd("t"), new UiChunk.Finish(null, null));
  }

  @Test
  void a_hold_gathers_the_deltas_of_a_slow_model() throws Exception {
    List<UiChunk> written = Collections.synchronizedList(new ArrayList<>());
    ChunkOutbox outbox =
        new ChunkOutbox(written::addAll, new Coalescing(true, Duration.ofSeconds(5)));
    outbox.offer(new UiChunk.TextDelta("t", "a"));
    outbox.offer(new UiChunk.TextDelta("t", "b"));
    outbox.offer(new UiChunk.TextEnd("t"));
    outbox.flush();
    assertThat(written).containsExactly(new UiChunk.TextDelta("t", "ab"), new UiChunk.TextEnd("t"));
  }

  @Test
  void a_model_slower_than_the_log_writes_each_chunk_itself_in_order() {
    List<Thread> writers = Collections.synchronizedList(new ArrayList<>());
    List<UiChunk> written = Collections.synchronizedList(new ArrayList<>());
    AtomicLong now = new AtomicLong();
    ChunkOutbox outbox =
        new ChunkOutbox(
            chunks -> {
              writers.add(Thread.currentThread());
              written.addAll(chunks);
            },
            Coalescing.ADAPTIVE,
            now::get);
    List<UiChunk> chunks = answer(10);
    for (UiChunk chunk : chunks) {
      now.addAndGet(Duration.ofMillis(30).toNanos());
      outbox.offer(chunk);
    }
    outbox.flush();
    assertThat(written).isEqualTo(chunks);
    assertThat(writers).hasSize(chunks.size()).containsOnly(Thread.currentThread());
  }

  @Test
  void a_chunk_that_comes_soon_after_a_write_goes_to_the_drainer() {
    List<Thread> writers = Collections.synchronizedList(new ArrayList<>());
    AtomicLong now = new AtomicLong();
    ChunkOutbox outbox =
        new ChunkOutbox(
            chunks -> writers.add(Thread.currentThread()), Coalescing.ADAPTIVE, now::get);
    now.addAndGet(ChunkOutbox.PACED.toNanos());
    outbox.offer(new UiChunk.TextStart("t"));
    now.addAndGet(ChunkOutbox.PACED.toNanos() - 1);
    outbox.offer(new UiChunk.TextEnd("t"));
    outbox.flush();
    assertThat(writers).hasSize(2);
    assertThat(writers.getFirst()).isSameAs(Thread.currentThread());
    assertThat(writers.get(1)).isNotSameAs(Thread.currentThread());
  }

  @Test
  void what_another_thread_queues_during_a_producers_own_write_follows_it() throws Exception {
    GatedLog log = new GatedLog();
    AtomicLong now = new AtomicLong();
    ChunkOutbox outbox = new ChunkOutbox(log, Coalescing.ADAPTIVE, now::get);
    now.addAndGet(ChunkOutbox.PACED.toNanos());
    Thread producer = Thread.ofVirtual().start(() -> outbox.offer(new UiChunk.TextStart("t")));
    assertThat(log.entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(log.enteredBy).isSameAs(producer);
    outbox.offer(new UiChunk.TextDelta("t", "a"));
    outbox.offer(new UiChunk.TextDelta("t", "b"));
    Thread flusher = Thread.ofVirtual().start(outbox::flush);
    log.release.countDown();
    assertThat(producer.join(Duration.ofSeconds(10))).isTrue();
    assertThat(flusher.join(Duration.ofSeconds(10))).isTrue();
    assertThat(log.written)
        .containsExactly(new UiChunk.TextStart("t"), new UiChunk.TextDelta("t", "ab"));
  }

  @Test
  void a_producers_own_write_that_fails_is_retried_by_the_next_flush() {
    List<UiChunk> written = new ArrayList<>();
    boolean[] broken = {true};
    List<Thread> writers = new ArrayList<>();
    AtomicLong now = new AtomicLong();
    ChunkOutbox outbox =
        new ChunkOutbox(
            chunks -> {
              writers.add(Thread.currentThread());
              if (broken[0]) {
                throw new IllegalStateException("disk full");
              }
              written.addAll(chunks);
            },
            Coalescing.OFF,
            now::get);
    now.addAndGet(ChunkOutbox.PACED.toNanos());
    outbox.offer(new UiChunk.TextStart("t"));
    assertThat(writers).containsExactly(Thread.currentThread());
    assertThatThrownBy(() -> outbox.offer(new UiChunk.TextEnd("t"))).hasMessage("disk full");
    broken[0] = false;
    outbox.flush();
    assertThat(written).containsExactly(new UiChunk.TextStart("t"));
  }
}
