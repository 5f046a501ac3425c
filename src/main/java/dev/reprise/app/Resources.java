package dev.reprise.app;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the node opened and must close: the data-dir lock, storage, the limiter, the models. Closed
 * in the reverse order of opening, so that nothing closes before what depends on it (the data-dir
 * lock last, once the database is closed).
 */
final class Resources implements AutoCloseable {
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Takes {@code resource} to close with the rest; returns it. */
  <T extends AutoCloseable> T own(T resource) {
    opened.push(resource);
    return resource;
  }

  /** Closes everything, the last opened first; a failure does not keep the rest open. */
  @Override
  public void close() {
    IllegalStateException failure = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing " + e.getMessage() + " failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
