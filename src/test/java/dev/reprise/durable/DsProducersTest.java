package dev.reprise.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.durable.DsMeta.ProducerState;
import dev.reprise.durable.DsMeta.ProducerTuple;
import dev.reprise.durable.DsProducers.Verdict;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DsProducersTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Map<String, ProducerState> AT_EPOCH_1_SEQ_4 =
      Map.of("p", new ProducerState(1, 4, NOW));

  private static Verdict judge(Map<String, ProducerState> state, long epoch, long seq) {
    return DsProducers.judge(state, new ProducerTuple("p", epoch, seq), NOW);
  }

  @Test
  void a_new_producer_starts_at_zero() {
    assertThat(judge(Map.of(), 0, 0)).isEqualTo(new Verdict.Accepted(new ProducerState(0, 0, NOW)));
    assertThat(judge(Map.of(), 0, 3)).isEqualTo(new Verdict.Gap(0, 3));
  }

  @Test
  void the_next_sequence_number_is_taken_a_repeat_is_a_duplicate_a_skip_a_gap() {
    assertThat(judge(AT_EPOCH_1_SEQ_4, 1, 5))
        .isEqualTo(new Verdict.Accepted(new ProducerState(1, 5, NOW)));
    assertThat(judge(AT_EPOCH_1_SEQ_4, 1, 4)).isEqualTo(new Verdict.Duplicate(4));
    assertThat(judge(AT_EPOCH_1_SEQ_4, 1, 2)).isEqualTo(new Verdict.Duplicate(4));
    assertThat(judge(AT_EPOCH_1_SEQ_4, 1, 7)).isEqualTo(new Verdict.Gap(5, 7));
  }

  @Test
  void a_new_epoch_fences_the_old_one_and_must_start_at_zero() {
    assertThat(judge(AT_EPOCH_1_SEQ_4, 0, 5)).isEqualTo(new Verdict.StaleEpoch(1));
    assertThat(judge(AT_EPOCH_1_SEQ_4, 2, 0))
        .isEqualTo(new Verdict.Accepted(new ProducerState(2, 0, NOW)));
    assertThat(judge(AT_EPOCH_1_SEQ_4, 2, 1)).isEqualTo(new Verdict.NewEpochNotAtZero());
  }
}
