package dev.reprise.run;

import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.UiChunk;
import java.util.List;

/** How a run ended, and the chunks that say so at the end of its stream. */
record RunOutcome(RunStatus status, String error, FinishReason reason) {

  static RunOutcome completed(FinishReason reason) {
    return new RunOutcome(RunStatus.COMPLETED, null, reason);
  }

  static RunOutcome failed(String error) {
    return new RunOutcome(RunStatus.FAILED, error, FinishReason.ERROR);
  }

  static RunOutcome cancelled() {
    return new RunOutcome(RunStatus.CANCELLED, null, FinishReason.OTHER);
  }

  /** The last chunks of the stream: {@code finish} always, after {@code error} or {@code abort}. */
  List<UiChunk> finalChunks() {
    return switch (status) {
      case COMPLETED -> List.of(new UiChunk.Finish(reason));
      case FAILED -> List.of(new UiChunk.Error(error), new UiChunk.Finish(reason));
      case CANCELLED -> List.of(new UiChunk.Abort(), new UiChunk.Finish(reason));
      case QUEUED, RUNNING -> throw new IllegalStateException("not an outcome: " + status);
    };
  }
}
