package dev.reprise.model;

import dev.reprise.protocol.UiChunk;

/** Where a model puts its chunks; each one is durable when {@code emit} returns. */
@FunctionalInterface
public interface ChunkSink {
  void emit(UiChunk chunk);
}
