package dev.reprise.run;

import dev.reprise.model.ChunkSink;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.MessageAssembler;
import dev.reprise.protocol.UiChunk;
import dev.reprise.stream.StreamWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's output: every chunk goes into the assistant message being assembled, and through the
 * {@link ChunkOutbox} to the stream, where deltas that queue behind a write are merged.
 */
final class RunStream implements ChunkSink {
  private final StreamWriter writer;
  private final MessageAssembler message;
  private final ChunkOutbox outbox;
  private int lastWritten;

  RunStream(StreamWriter writer, MessageAssembler message, Json json, Coalescing coalescing) {
    this.writer = writer;
    this.message = message;
    this.outbox = new ChunkOutbox(chunks -> writer.appendAll(encoded(chunks, json)), coalescing);
  }

  private static List<StreamWriter.Chunk> encoded(List<UiChunk> chunks, Json json) {
    List<StreamWriter.Chunk> encoded = new ArrayList<>(chunks.size());
    for (UiChunk chunk : chunks) {
      encoded.add(new StreamWriter.Chunk(json.writeChunk(chunk), chunk instanceof UiChunk.Finish));
    }
    return encoded;
  }

  @Override
  public void emit(UiChunk chunk) {
    outbox.offer(chunk);
    message.accept(chunk);
  }

  /** Waits until every chunk emitted is in the log (and shown to readers). */
  void flush() {
    outbox.flush();
  }

  /**
   * Closes whatever part is still open (except, with {@code keepWaiting}, tool calls that wait for
   * the user), then ends the stream with {@code last}. Safe to call again with the same {@code
   * last} after a failed append: it goes on from the first chunk not written.
   */
  void end(String toolErrorText, boolean keepWaiting, List<UiChunk> last) {
    // why: what is queued goes first; after a failed write this retries it, from the chunk that
    // failed, before anything new is queued behind it.
    flush();
    message.closingChunks(toolErrorText, keepWaiting).forEach(this::emit);
    for (; lastWritten < last.size(); lastWritten++) {
      emit(last.get(lastWritten));
    }
    flush();
  }

  MessageAssembler message() {
    return message;
  }

  StreamWriter writer() {
    return writer;
  }
}
