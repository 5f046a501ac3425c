package dev.reprise.stream;

import java.io.IOException;
import java.util.List;

/** Where a reader sends a stream's frames: typically one HTTP response. */
public interface FrameSink {
  /** Writes the frames, in order, and flushes them. */
  void write(List<Frame> frames) throws IOException;

  /** Nothing new for a while: keep the connection alive. */
  void heartbeat() throws IOException;

  /**
   * The stream ended, and its finish is the frame just before where this reader started: the client
   * has the whole stream and is owed nothing more.
   */
  default void finishedBefore() {}
}
