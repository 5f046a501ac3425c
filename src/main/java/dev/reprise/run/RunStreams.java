package dev.reprise.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.approval.ToolWait;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.MessageAssembler;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.protocol.ToolParts;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamLog;
import dev.reprise.stream.StreamWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Opens a run's stream with the message it assembles: a new message, or, for a run that continues
 * an answer, the message as it stood when the run was admitted with the user's answers applied. The
 * same inputs every time, so a run finalized again (by a recovering node) rebuilds the same
 * message.
 */
final class RunStreams {
  private final RunStores stores;
  private final StreamLog log;
  private final StreamHub hub;
  private final Json json;
  private final Clock clock;
  private final Coalescing coalescing;

  RunStreams(
      RunStores stores,
      StreamLog log,
      StreamHub hub,
      Json json,
      Clock clock,
      Coalescing coalescing) {
    this.stores = stores;
    this.log = log;
    this.hub = hub;
    this.json = json;
    this.clock = clock;
    this.coalescing = coalescing;
  }

  /** What a continuing run starts from: the answered message and the answers. */
  record Continuation(ObjectNode message, List<ToolAnswer> answers) {}

  Optional<Continuation> continuation(Run run) {
    if (!run.continuesMessage()) {
      return Optional.empty();
    }
    return stores
        .runs()
        .baseMessage(run.id())
        .map(
            base -> {
              List<ToolAnswer> answers =
                  stores.waits().answeredBy(run.id()).stream()
                      .map(ToolWait::answer)
                      .flatMap(Optional::stream)
                      .toList();
              return new Continuation(ToolParts.answered(json.tree(base), answers), answers);
            });
  }

  /** The run's stream from its first chunk. */
  RunStream open(Run run, Optional<Continuation> continuation) {
    return new RunStream(
        new StreamWriter(log, hub.open(run.id()), clock, 0),
        assembler(run, continuation),
        json,
        coalescing);
  }

  /** The run's stream from chunk {@code next}, for a node that finishes another's run. */
  RunStream openAt(Run run, long next, MessageAssembler assembler) {
    return new RunStream(
        new StreamWriter(log, hub.openAt(run.id(), next), clock, next),
        assembler,
        json,
        coalescing);
  }

  /** The run went to another node: its readers here follow that node's writes. */
  void handOver(String runId) {
    hub.handOver(runId);
  }

  MessageAssembler assembler(Run run, Optional<Continuation> continuation) {
    return continuation
        .map(c -> MessageAssembler.continuing(c.message()))
        .orElseGet(() -> new MessageAssembler(run.messageId()));
  }
}
