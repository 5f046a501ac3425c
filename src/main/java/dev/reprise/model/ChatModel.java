package dev.reprise.model;

import dev.reprise.protocol.FinishReason;

/**
 * A model that answers a chat by emitting UI chunks. It emits the steps and their parts; the run
 * around it emits {@code start} and {@code finish}. It must return promptly once {@code
 * cancellation} fires.
 */
public interface ChatModel {

  String id();

  /**
   * Streams the answer to {@code sink}.
   *
   * @return why the answer ended
   * @throws CancelledException when the run was stopped
   * @throws ModelException when the model failed; its message is safe to show to the user
   */
  FinishReason respond(ModelRequest request, ChunkSink sink, Cancellation cancellation)
      throws ModelException, CancelledException;
}
