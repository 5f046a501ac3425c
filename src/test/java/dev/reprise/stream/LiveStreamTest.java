package dev.reprise.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LiveStreamTest {

  @Test
  void frames_asked_for_from_any_index_past_the_tail_are_none() {
    LiveStream stream = new LiveStream("s", 0);
    for (int i = 0; i < 3; i++) {
      stream.offer(Frame.of(new LogEntry(i, "{\"n\":" + i + "}", false)));
    }

    assertThat(stream.framesFrom(1)).extracting(Frame::index).containsExactly(1L, 2L);
    assertThat(stream.framesFrom(3)).isEmpty();
    // why: these wrap to negative ints; a client's startIndex or Last-Event-ID can be anything.
    assertThat(stream.framesFrom(8642310191421226635L)).isEmpty();
    assertThat(stream.framesFrom(Integer.MAX_VALUE + 2L)).isEmpty();
    assertThat(stream.framesFrom(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void a_mirror_past_its_capacity_keeps_its_newer_half_and_leaves_the_older_frames_to_the_log() {
    LiveStream stream = new LiveStream("s", 100, false, 8);
    for (int i = 100; i < 109; i++) {
      assertThat(stream.offer(frame(i))).isTrue();
    }

    assertThat(stream.base()).isEqualTo(104);
    assertThat(stream.next()).isEqualTo(109);
    assertThat(stream.framesFrom(104))
        .extracting(Frame::index)
        .containsExactly(104L, 105L, 106L, 107L, 108L);
    assertThat(stream.framesFrom(103)).isEmpty();
    assertThat(stream.framesFrom(0)).isEmpty();
    assertThat(stream.offer(frame(108))).isFalse();
  }

  @Test
  void a_long_stream_holds_no_more_than_the_capacity() {
    LiveStream stream = new LiveStream("s", 0, false, 1024);
    for (int i = 0; i < 10_000; i++) {
      stream.offer(frame(i));
    }

    List<Frame> held = stream.framesFrom(stream.base());
    assertThat(held).hasSizeBetween(512, 1024);
    assertThat(held.getLast().index()).isEqualTo(9_999);
    assertThat(held.getFirst().index()).isEqualTo(stream.base());
  }

  private static Frame frame(long index) {
    return Frame.of(new LogEntry(index, "{\"n\":" + index + "}", false));
  }

  @Test
  void every_parked_reader_wakes_for_a_frame_and_again_for_the_close() throws Exception {
    LiveStream stream = new LiveStream("s", 0, true);
    AtomicInteger sawFrame = new AtomicInteger();
    AtomicInteger sawClose = new AtomicInteger();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      readers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      if (stream.await(0, Long.MAX_VALUE)) {
                        sawFrame.incrementAndGet();
                      }
                      if (stream.await(1, Long.MAX_VALUE) && stream.closed()) {
                        sawClose.incrementAndGet();
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    awaitAllParked(readers);

    stream.offer(Frame.of(new LogEntry(0, "{}", false)));
    await().atMost(Duration.ofSeconds(10)).until(() -> sawFrame.get() == 200);
    awaitAllParked(readers);
    stream.close(Instant.EPOCH);

    for (Thread reader : readers) {
      assertThat(reader.join(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(sawClose).hasValue(200);
  }

  @Test
  void a_wait_without_news_times_out_and_a_reader_left_behind_is_harmless() throws Exception {
    LiveStream stream = new LiveStream("s", 0);

    assertThat(stream.await(0, TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
    // why: the timed-out reader is still on the waiter stack; publishing must only unpark it.
    assertThat(stream.offer(Frame.of(new LogEntry(0, "{}", false)))).isTrue();
    assertThat(stream.await(0, TimeUnit.SECONDS.toNanos(10))).isTrue();
  }

  @Test
  void an_interrupted_reader_stops_waiting() throws Exception {
    LiveStream stream = new LiveStream("s", 0, true);
    AtomicInteger interrupted = new AtomicInteger();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    stream.await(0, Long.MAX_VALUE);
                  } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                  }
                });
    awaitAllParked(List.of(reader));

    reader.interrupt();

    assertThat(reader.join(Duration.ofSeconds(10))).isTrue();
    assertThat(interrupted).hasValue(1);
  }

  private static void awaitAllParked(List<Thread> threads) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
  }
}
