package dev.reprise.stream;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;

/**
 * A sink that records the frames a reader sent and counts down a latch per heartbeat. Override
 * {@link #beforeWrite} to make a write block or fail.
 */
class RecordingSink implements FrameSink {
  final List<Frame> frames = new CopyOnWriteArrayList<>();
  final CountDownLatch heartbeats;
  volatile boolean finishedBefore;

  RecordingSink(int expectedHeartbeats) {
    heartbeats = new CountDownLatch(expectedHeartbeats);
  }

  RecordingSink() {
    this(0);
  }

  List<Long> indices() {
    return frames.stream().map(Frame::index).toList();
  }

  /** Runs before each batch is recorded; throwing here fails the write. */
  void beforeWrite(List<Frame> batch) throws IOException {}

  @Override
  public void write(List<Frame> batch) throws IOException {
    beforeWrite(batch);
    frames.addAll(batch);
  }

  @Override
  public void heartbeat() {
    heartbeats.countDown();
  }

  @Override
  public void finishedBefore() {
    finishedBefore = true;
  }

  /** The indices {@code from} (inclusive) to {@code to} (exclusive). */
  static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }
}
