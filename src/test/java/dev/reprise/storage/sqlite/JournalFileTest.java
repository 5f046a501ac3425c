package dev.reprise.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.stream.LogEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's segment files: what is read back after a crash, and which segments go. */
class JournalFileTest {
  @TempDir Path dir;

  private static List<JournalFile.Entry> entries(long fromSeq, long toSeq) {
    return LongStream.range(fromSeq, toSeq)
        .mapToObj(
            seq ->
                new JournalFile.Entry(
                    seq,
                    "stream-" + (seq % 3),
                    new LogEntry(seq * 10, "{\"t\":\"é " + seq + "\"}", seq % 5 == 0)))
        .toList();
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void what_was_appended_is_read_back_whole_and_in_order() {
    try (JournalFile file = JournalFile.open(dir, false, 1 << 20)) {
      file.append(entries(1, 4));
      file.append(entries(4, 10));
    }

    assertThat(JournalFile.readAll(dir)).isEqualTo(entries(1, 10));
  }

  @Test
  void reading_stops_at_a_torn_last_record() throws IOException {
    try (JournalFile file = JournalFile.open(dir, false, 1 << 20)) {
      file.append(entries(1, 6));
    }
    Path segment = segments().getFirst();
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 3);
    }

    assertThat(JournalFile.readAll(dir)).isEqualTo(entries(1, 5));
  }

  @Test
  void reading_stops_at_a_record_whose_bytes_changed() throws IOException {
    try (JournalFile file = JournalFile.open(dir, false, 1 << 20)) {
      file.append(entries(1, 3));
      file.append(entries(3, 5));
    }
    Path segment = segments().getFirst();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 2] ^= 0x20;
    Files.write(segment, bytes);

    assertThat(JournalFile.readAll(dir)).isEqualTo(entries(1, 4));
  }

  @Test
  void reading_stops_where_the_sequence_goes_back() throws IOException {
    try (JournalFile file = JournalFile.open(dir, false, 1 << 20)) {
      file.append(entries(1, 4));
    }
    Path segment = segments().getFirst();
    byte[] first = Files.readAllBytes(segment);
    try (JournalFile file = JournalFile.open(dir.resolve("other"), false, 1 << 20)) {
      file.append(entries(2, 3));
    }
    byte[] stale = Files.readAllBytes(Files.list(dir.resolve("other")).findFirst().orElseThrow());
    Files.write(segment, stale, StandardOpenOption.APPEND);

    assertThat(first).isNotEmpty();
    assertThat(JournalFile.readAll(dir)).isEqualTo(entries(1, 4));
  }

  @Test
  void a_segment_goes_once_everything_in_it_is_below_the_mark_and_the_last_once_all_is()
      throws IOException {
    try (JournalFile file = JournalFile.open(dir, false, 1)) {
      file.append(entries(1, 3));
      file.append(entries(3, 5));
      file.append(entries(5, 6));
      assertThat(file.segmentCount()).isEqualTo(3);

      file.deleteBelow(4);
      assertThat(JournalFile.readAll(dir)).isEqualTo(entries(3, 6));

      file.deleteBelow(5);
      assertThat(JournalFile.readAll(dir)).isEqualTo(entries(5, 6));

      file.deleteBelow(6);
      assertThat(segments()).isEmpty();

      file.append(entries(6, 8));
      assertThat(JournalFile.readAll(dir)).isEqualTo(entries(6, 8));
    }
  }

  @Test
  void a_synced_segment_is_zeroed_ahead_and_reading_stops_where_the_records_end()
      throws IOException {
    try (JournalFile file = JournalFile.open(dir, true, 1 << 30)) {
      file.append(entries(1, 4));
      file.append(entries(4, 6));
    }

    assertThat(Files.size(segments().getFirst())).isGreaterThanOrEqualTo(1024 * 1024);
    assertThat(JournalFile.readAll(dir)).isEqualTo(entries(1, 6));
  }

  @Test
  void a_large_batch_is_one_write_of_every_record() {
    List<JournalFile.Entry> batch =
        List.of(
            new JournalFile.Entry(1, "s", new LogEntry(0, "x".repeat(200_000), false)),
            new JournalFile.Entry(2, "s", new LogEntry(1, "y".repeat(100_000), true)));
    try (JournalFile file = JournalFile.open(dir, true, 1 << 20)) {
      file.append(batch);
    }

    assertThat(JournalFile.readAll(dir)).isEqualTo(batch);
  }
}
