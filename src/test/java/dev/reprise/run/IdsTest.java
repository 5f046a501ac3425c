package dev.reprise.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private final SettableClock clock = SettableClock.at("2025-06-01T12:00:00Z");
  private final Ids ids = new Ids(clock);

  private static long decodeTime(String ulid) {
    long time = 0;
    for (char c : ulid.substring(0, 10).toCharArray()) {
      time = time * 32 + CROCKFORD.indexOf(c);
    }
    return time;
  }

  @Test
  void run_and_message_ids_are_prefixed_ulids_in_crockford_base32() {
    String runId = ids.runId();
    String messageId = ids.messageId();

    assertThat(runId).matches("wrun_[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(messageId).matches("msg_[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(ids.ulid()).hasSize(26).matches("[0-7][0-9A-HJKMNP-TV-Z]{25}");
  }

  @Test
  void is_run_id_accepts_run_ids_only() {
    assertThat(Ids.isRunId(ids.runId())).isTrue();
    assertThat(Ids.isRunId(ids.messageId())).isFalse();
    assertThat(Ids.isRunId("wrun_" + ids.ulid().toLowerCase())).isFalse();
    assertThat(Ids.isRunId("wrun_" + ids.ulid().substring(1))).isFalse();
    assertThat(Ids.isRunId("wrun_0123456789ABCDEFGHJKMNPQRU")).isFalse();
    assertThat(Ids.isRunId(null)).isFalse();
  }

  @Test
  void the_first_ten_characters_encode_the_clock_milliseconds() {
    clock.set(Instant.ofEpochMilli(1469918176385L));

    String ulid = ids.ulid();

    assertThat(ulid).startsWith("01ARYZ6S41");
    assertThat(decodeTime(ids.runId().substring(5))).isEqualTo(1469918176385L);
  }

  @Test
  void ten_thousand_ids_in_the_same_millisecond_are_all_different() {
    Set<String> seen = new HashSet<>();

    for (int i = 0; i < 10_000; i++) {
      seen.add(ids.runId());
    }

    assertThat(seen).hasSize(10_000);
  }

  @Test
  void ids_made_in_later_milliseconds_sort_after_earlier_ones() {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      made.add(ids.ulid());
      clock.advance(Duration.ofMillis(i % 7 == 0 ? 1 : 1 + i));
    }

    assertThat(made).isSorted();
    assertThat(made).doesNotHaveDuplicates();
  }
}
