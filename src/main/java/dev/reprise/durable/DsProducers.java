package dev.reprise.durable;

import dev.reprise.durable.DsMeta.ProducerState;
import dev.reprise.durable.DsMeta.ProducerTuple;
import java.time.Instant;
import java.util.Map;

/**
 * Idempotent producers, Kafka style: each producer id has an epoch (a restarted producer takes a
 * higher one, which fences its former self) and a sequence number that must go up by one per
 * append. A retry of an accepted append is recognised and acknowledged without writing twice.
 */
final class DsProducers {
  private DsProducers() {}

  /** What the server makes of one producer's append. */
  sealed interface Verdict {
    /** Take it; the producer's state becomes {@code state}. */
    record Accepted(ProducerState state) implements Verdict {}

    /** Already taken; {@code lastSeq} is the highest sequence number taken in this epoch. */
    record Duplicate(long lastSeq) implements Verdict {}

    /** An older epoch than the producer's current one. */
    record StaleEpoch(long currentEpoch) implements Verdict {}

    /** A new epoch must start at sequence number 0. */
    record NewEpochNotAtZero() implements Verdict {}

    /** A sequence number skipped ahead. */
    record Gap(long expected, long received) implements Verdict {}
  }

  static Verdict judge(Map<String, ProducerState> producers, ProducerTuple append, Instant now) {
    ProducerState state = producers.get(append.id());
    if (state == null) {
      return append.seq() == 0
          ? new Verdict.Accepted(new ProducerState(append.epoch(), 0, now))
          : new Verdict.Gap(0, append.seq());
    }
    if (append.epoch() < state.epoch()) {
      return new Verdict.StaleEpoch(state.epoch());
    }
    if (append.epoch() > state.epoch()) {
      return append.seq() == 0
          ? new Verdict.Accepted(new ProducerState(append.epoch(), 0, now))
          : new Verdict.NewEpochNotAtZero();
    }
    if (append.seq() <= state.seq()) {
      return new Verdict.Duplicate(state.seq());
    }
    if (append.seq() == state.seq() + 1) {
      return new Verdict.Accepted(new ProducerState(append.epoch(), append.seq(), now));
    }
    return new Verdict.Gap(state.seq() + 1, append.seq());
  }
}
