package dev.reprise.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Appends of several chunks: the log's default (one append each, stopping at the first refused),
 * and the writer, which shows readers exactly what the log took.
 */
class StreamWriterTest {

  /** Only {@code append} of its own: the rest of {@link StreamLog}'s defaults are under test. */
  private static final class RefusingFrom implements StreamLog {
    final List<LogEntry> entries = new ArrayList<>();
    long refuseFrom;

    RefusingFrom(long refuseFrom) {
      this.refuseFrom = refuseFrom;
    }

    @Override
    public void create(String streamId, Instant now) {}

    @Override
    public void append(String streamId, LogEntry entry) {
      if (entry.index() >= refuseFrom || entry.index() != entries.size()) {
        throw new StreamConflictException("refused " + entry.index());
      }
      entries.add(entry);
    }

    @Override
    public void close(String streamId, Instant now) {}

    @Override
    public List<LogEntry> read(String streamId, long fromIndex, int limit) {
      return List.copyOf(entries);
    }

    @Override
    public Optional<StreamInfo> info(String streamId) {
      return Optional.of(new StreamInfo(entries.size() - 1, false));
    }

    @Override
    public int deleteClosedBefore(Instant cutoff) {
      return 0;
    }

    @Override
    public void delete(String streamId) {}
  }

  private static List<StreamWriter.Chunk> chunks(int from, int count) {
    List<StreamWriter.Chunk> chunks = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      chunks.add(new StreamWriter.Chunk("{\"n\":" + i + "}", false));
    }
    return chunks;
  }

  @Test
  void the_default_append_all_stops_at_the_first_refused_entry_and_says_how_many_went_in() {
    RefusingFrom log = new RefusingFrom(2);
    List<LogEntry> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      four.add(new LogEntry(i, "c" + i, false));
    }

    assertThatThrownBy(() -> log.appendAll("s", four))
        .isInstanceOfSatisfying(
            PartialAppendException.class, e -> assertThat(e.appended()).isEqualTo(2))
        .hasCauseInstanceOf(StreamConflictException.class);
    assertThat(log.entries).containsExactlyElementsOf(four.subList(0, 2));
  }

  @Test
  void a_writer_shows_readers_what_the_log_took_and_goes_on_from_the_first_it_refused() {
    RefusingFrom log = new RefusingFrom(3);
    LiveStream mirror = new LiveStream("s", 0);
    StreamWriter writer = new StreamWriter(log, mirror, Clock.systemUTC(), 0);

    writer.appendAll(chunks(0, 2));
    assertThatThrownBy(() -> writer.appendAll(chunks(2, 3)))
        .isInstanceOfSatisfying(
            PartialAppendException.class, e -> assertThat(e.appended()).isEqualTo(1));

    assertThat(writer.tailIndex()).isEqualTo(2);
    assertThat(mirror.framesFrom(0)).extracting(Frame::index).containsExactly(0L, 1L, 2L);
    log.refuseFrom = Long.MAX_VALUE;
    writer.appendAll(chunks(3, 2));
    assertThat(mirror.framesFrom(0))
        .extracting(Frame::data)
        .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
    assertThat(log.entries).extracting(LogEntry::index).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  @Test
  void a_mirror_takes_consecutive_frames_up_to_the_first_that_is_not_next() {
    LiveStream mirror = new LiveStream("s", 0);
    List<Frame> frames = new ArrayList<>();
    for (long i : new long[] {0, 1, 3, 4}) {
      frames.add(Frame.of(new LogEntry(i, "{}", false)));
    }

    assertThat(mirror.offerAll(frames)).isEqualTo(2);
    assertThat(mirror.offerAll(List.of())).isZero();
    assertThat(mirror.next()).isEqualTo(2);
  }
}
