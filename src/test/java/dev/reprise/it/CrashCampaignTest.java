package dev.reprise.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.CrashCampaign;
import dev.reprise.testing.CrashCampaign.Mode;
import dev.reprise.testing.CrashCampaign.Options;
import dev.reprise.testing.CrashCampaign.Summary;
import org.junit.jupiter.api.Test;

/**
 * A few trials of the crash campaign (SIGKILL at random moments while chats stream), on one node
 * and on three; {@code scripts/crash-campaign} runs a hundred. The seed is printed; {@code
 * -Dreprise.crash.seed=S} replays one.
 */
class CrashCampaignTest {
  private static long seed() {
    return Long.getLong("reprise.crash.seed", System.nanoTime());
  }

  @Test
  void every_chunk_seen_before_random_kills_of_one_node_is_replayed_and_every_run_is_finalized()
      throws Exception {
    Summary summary = CrashCampaign.run(Options.of(Mode.SINGLE, 3, seed()), System.out::println);

    assertThat(summary.failures()).as("seed %d", summary.seed()).isEmpty();
    assertThat(summary.lost()).isZero();
    assertThat(summary.runs())
        .as("seed %d, runs in %s", summary.seed(), summary.trials())
        .isPositive();
  }

  @Test
  void
      every_chunk_seen_before_random_kills_in_a_three_node_cluster_is_replayed_and_every_run_is_finalized()
          throws Exception {
    Summary summary = CrashCampaign.run(Options.of(Mode.CLUSTER, 2, seed()), System.out::println);

    assertThat(summary.failures()).as("seed %d", summary.seed()).isEmpty();
    assertThat(summary.lost()).isZero();
    assertThat(summary.runs())
        .as("seed %d, runs in %s", summary.seed(), summary.trials())
        .isPositive();
  }
}
