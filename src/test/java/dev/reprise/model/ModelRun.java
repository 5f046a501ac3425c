package dev.reprise.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.MessageAssembler;
import dev.reprise.protocol.UiChunk;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One call of a model as a run makes it, recording the chunks and assembling the message. */
public final class ModelRun implements ChunkSink {
  private static final Json JSON = new Json();

  public final List<UiChunk> chunks = new CopyOnWriteArrayList<>();
  public final MessageAssembler assembler;
  public final Cancellation cancellation = new Cancellation();
  private final String messageId;

  public ModelRun(String messageId) {
    this.messageId = messageId;
    this.assembler = new MessageAssembler(messageId);
  }

  @Override
  public void emit(UiChunk chunk) {
    chunks.add(chunk);
    assembler.accept(chunk);
  }

  public FinishReason respond(ChatModel model, List<JsonNode> history)
      throws ModelException, CancelledException {
    return model.respond(new ModelRequest("chat_1", messageId, history), this, cancellation);
  }

  public ObjectNode message() {
    return assembler.message();
  }

  /** The chunks as the wire carries them, one JSON object each. */
  public List<String> wire() {
    return chunks.stream().map(JSON::write).toList();
  }

  public static JsonNode json(String text) {
    return JSON.tree(text.replace('\'', '"'));
  }

  /** Parses JSON as it is, quotes and all (a request body, say). */
  public static JsonNode parse(String text) {
    return JSON.tree(text);
  }

  public static JsonNode user(String id, String text) {
    return json(
        "{'id':'" + id + "','role':'user','parts':[{'type':'text','text':'" + text + "'}]}");
  }
}
