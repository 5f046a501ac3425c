package dev.reprise.run;

import dev.reprise.model.ChunkSink;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.MessageAssembler;
import dev.reprise.protocol.UiChunk;
import dev.reprise.stream.StreamWriter;
import java.util.List;

/**
 * A run's output: every chunk goes to the stream and into the assistant message being assembled.
 */
final class RunStream implements ChunkSink {
  private final StreamWriter writer;
  private final MessageAssembler message;
  private final Json json;
  private int lastWritten;

  RunStream(StreamWriter writer, MessageAssembler message, Json json) {
    this.writer = writer;
    this.message = message;
    this.json = json;
  }

  @Override
  public void emit(UiChunk chunk) {
    writer.append(json.write(chunk), chunk instanceof UiChunk.Finish);
    message.accept(chunk);
  }

  /**
   * Closes whatever part is still open (except, with {@code keepWaiting}, tool calls that wait for
   * the user), then ends the stream with {@code last}. Safe to call again with the same {@code
   * last} after a failed append: it goes on from the first chunk not written.
   */
  void end(String toolErrorText, boolean keepWaiting, List<UiChunk> last) {
    message.closingChunks(toolErrorText, keepWaiting).forEach(this::emit);
    for (; lastWritten < last.size(); lastWritten++) {
      emit(last.get(lastWritten));
    }
  }

  MessageAssembler message() {
    return message;
  }

  StreamWriter writer() {
    return writer;
  }
}
