package dev.reprise.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.storage.StorageException;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamConflictException;
import dev.reprise.stream.StreamInfo;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the Redis log stores, beyond the StreamLog contract: entry ids, end marker, expiry. */
class RedisStreamLogLayoutTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration RETENTION = Duration.ofMinutes(10);

  @RegisterExtension final TempRedis redis = new TempRedis();

  private RedisStreamLog log;
  private RedisCommands<String, String> admin;
  private RedisKeys keys;

  @BeforeEach
  void open() {
    log = redis.streamLog(RETENTION);
    admin = redis.admin();
    keys = new RedisKeys(redis.prefix);
  }

  @Test
  void chunks_are_entries_0_1_on_and_the_close_adds_an_end_marker_right_after_the_last() {
    log.create("s", T0);
    log.append("s", new LogEntry(0, "a", false));
    log.append("s", new LogEntry(1, "b", false));

    log.close("s", T0.plusSeconds(1));
    log.close("s", T0.plusSeconds(2));

    assertThat(admin.xrange(keys.stream("s"), Range.create("-", "+")))
        .extracting(StreamMessage::getId, m -> withoutTime(m.getBody()))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("0-1", Map.of("d", "a")),
            org.assertj.core.groups.Tuple.tuple("0-2", Map.of("d", "b")),
            org.assertj.core.groups.Tuple.tuple("0-3", Map.of("e", "1")));
    assertThat(log.read("s", 1, 10)).containsExactly(new LogEntry(1, "b", false));
    assertThat(log.read("s", 2, 10)).isEmpty();
    assertThat(admin.hget(keys.meta("s"), "closed"))
        .isEqualTo(Long.toString(T0.plusSeconds(1).toEpochMilli()));
  }

  @Test
  void the_finish_chunk_has_field_f_beside_its_data() {
    log.create("s", T0);
    log.append("s", new LogEntry(0, "a", false));
    log.append("s", new LogEntry(1, "end", true));

    assertThat(admin.xrange(keys.stream("s"), Range.create("-", "+")))
        .extracting(m -> withoutTime(m.getBody()))
        .containsExactly(Map.of("d", "a"), Map.of("d", "end", "f", "1"));
    assertThat(log.read("s", 0, 10))
        .containsExactly(new LogEntry(0, "a", false), new LogEntry(1, "end", true));
  }

  @Test
  void a_closed_stream_expires_after_the_retention_and_an_open_one_never() {
    log.create("closed", T0);
    log.append("closed", new LogEntry(0, "a", false));
    log.close("closed", T0);
    log.create("open", T0);
    log.append("open", new LogEntry(0, "a", false));

    assertThat(admin.pttl(keys.stream("closed"))).isBetween(1L, RETENTION.toMillis());
    assertThat(admin.pttl(keys.meta("closed"))).isBetween(1L, RETENTION.toMillis());
    assertThat(admin.pttl(keys.stream("open"))).isEqualTo(-1L);
    assertThat(admin.pttl(keys.meta("open"))).isEqualTo(-1L);
    assertThat(log.deleteClosedBefore(T0.plusSeconds(3600))).isZero();
  }

  @Test
  void an_empty_stream_closes_with_the_marker_at_0_1() {
    log.create("s", T0);

    log.close("s", T0);

    assertThat(admin.xrange(keys.stream("s"), Range.create("-", "+")))
        .extracting(StreamMessage::getId)
        .containsExactly("0-1");
    assertThat(log.read("s", 0, 10)).isEmpty();
  }

  @Test
  void an_append_retried_after_its_reply_was_lost_succeeds_without_a_second_entry() {
    log.create("s", T0);
    log.append("s", new LogEntry(0, "a", false));

    log.append("s", new LogEntry(0, "a", false));

    assertThatThrownBy(() -> log.append("s", new LogEntry(0, "other", false)))
        .isInstanceOf(StreamConflictException.class);
    assertThatThrownBy(() -> log.append("s", new LogEntry(0, "a", true)))
        .isInstanceOf(StreamConflictException.class);
    assertThat(log.read("s", 0, 10)).containsExactly(new LogEntry(0, "a", false));
  }

  @Test
  void an_append_of_several_chunks_retried_after_its_reply_was_lost_succeeds_once() {
    log.create("s", T0);
    List<LogEntry> three =
        List.of(
            new LogEntry(0, "a", false), new LogEntry(1, "b", false), new LogEntry(2, "c", true));
    log.appendAll("s", three);

    log.appendAll("s", three);

    List<LogEntry> otherLast =
        List.of(
            new LogEntry(0, "a", false), new LogEntry(1, "b", false), new LogEntry(2, "x", true));
    assertThatThrownBy(() -> log.appendAll("s", otherLast))
        .hasCauseInstanceOf(StreamConflictException.class);
    assertThatThrownBy(() -> log.appendAll("s", three.subList(0, 2)))
        .hasCauseInstanceOf(StreamConflictException.class);
    assertThat(log.read("s", 0, 10)).containsExactlyElementsOf(three);
    assertThat(admin.xlen(keys.stream("s"))).isEqualTo(3);
  }

  @Test
  void no_append_follows_the_end_marker_not_even_one_that_skips_an_index() {
    log.create("s", T0);
    log.append("s", new LogEntry(0, "a", false));
    log.close("s", T0);

    for (long index : new long[] {1, 2, 3}) {
      assertThatThrownBy(() -> log.append("s", new LogEntry(index, "late", false)))
          .isInstanceOf(StreamConflictException.class);
    }
    assertThat(admin.xlen(keys.stream("s"))).isEqualTo(2);
    assertThat(log.info("s")).contains(new StreamInfo(0, true));
  }

  @Test
  void scripts_are_sent_again_when_the_server_has_forgotten_them() {
    log.create("s", T0);
    admin.scriptFlush();

    log.append("s", new LogEntry(0, "a", false));
    log.close("s", T0);

    assertThat(log.info("s")).hasValueSatisfying(info -> assertThat(info.closed()).isTrue());
  }

  @Test
  void redis_errors_are_storage_exceptions() {
    admin.set(keys.meta("wrong"), "not a hash");

    assertThatThrownBy(() -> log.info("wrong")).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> log.append("wrong", new LogEntry(0, "x", false)))
        .isInstanceOf(StorageException.class);
  }

  @Test
  void each_chunk_carries_the_time_redis_appended_it() {
    long before = Long.parseLong(admin.time().getFirst()) * 1000;
    log.create("s", T0);
    log.append("s", new LogEntry(0, "a", false));

    String appended =
        admin.xrange(keys.stream("s"), Range.create("-", "+")).getFirst().getBody().get("t");
    assertThat(Long.parseLong(appended)).isBetween(before, before + 60_000);
  }

  /** An entry's fields without {@code t}, the time of its append, which no test can know. */
  private static Map<String, String> withoutTime(Map<String, String> body) {
    Map<String, String> fields = new java.util.HashMap<>(body);
    fields.remove("t");
    return fields;
  }
}
