package dev.reprise.stream;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Replays a stream from an index and then follows it live, with no gap and no duplicate at the
 * handoff: the reader keeps one cursor, the index of the next frame it owes, and takes each frame
 * either from the node's live mirror or from the durable log, whichever has it. Whatever moment a
 * reader joins at, it asks for exactly the next index, so it can neither skip nor repeat one.
 */
public final class StreamReader {
  // why: a replay's first read is small so that its first bytes go out at once; later reads are
  // larger so that a long replay takes few round trips.
  private static final int FIRST_LOG_BATCH = 32;
  private static final int LOG_BATCH = 512;

  private final StreamLog log;
  private final StreamHub hub;
  private final Duration heartbeat;
  private final Duration orphanPoll;

  public StreamReader(StreamLog log, StreamHub hub, Duration heartbeat, Duration orphanPoll) {
    this.log = log;
    this.hub = hub;
    this.heartbeat = heartbeat;
    this.orphanPoll = orphanPoll;
  }

  /** How a follow ended. */
  public enum End {
    /** Every frame up to the close of the stream was written. */
    CLOSED,
    /** The stream does not exist (deleted or expired) at the cursor's position. */
    MISSING
  }

  /**
   * Writes frames from {@code from} until the stream is closed. Blocks the calling (virtual)
   * thread.
   *
   * @throws IOException when the sink fails, e.g. the client went away
   */
  public End follow(String streamId, long from, FrameSink sink)
      throws IOException, InterruptedException {
    return new Follow(streamId, Math.max(0, from), sink).run();
  }

  /** One reader's follow of one stream: its cursor and what it knows of the stream so far. */
  private final class Follow {
    private final String streamId;
    private final FrameSink sink;
    private final long start;
    private long next;
    private long quietSince = System.nanoTime();
    private boolean trustMirror = true;
    // why: kept once found; the hub drops a mirror only after it has closed, and a closed one ends
    // the follow, so looking it up again for every chunk would only cost.
    private LiveStream mirror;
    private int logBatch = FIRST_LOG_BATCH;
    // why: finish is a run's last chunk. Its close normally follows within milliseconds, after the
    // run's final status (so a client that sees the end can send its next message); but a node
    // that dies between the two leaves a finished run whose log never closes. A reader whose last
    // frame is finish and that then hears nothing for a heartbeat period ends as if closed,
    // instead of sending heartbeats forever (found by scripts/crash-campaign).
    private boolean sentFinish;
    // why: null until asked. A reader whose connection dropped between finish and the close
    // resumes right after finish; the frame before its cursor then counts as sent, or it would
    // wait forever on a log that never closes, or end with a second, id-less finish (found by
    // it/CrashCampaignTest: "id null where 93 was due").
    private Boolean finishBefore;

    Follow(String streamId, long start, FrameSink sink) {
      this.streamId = streamId;
      this.sink = sink;
      this.start = start;
      this.next = start;
    }

    End run() throws IOException, InterruptedException {
      while (true) {
        if (trustMirror && mirror == null) {
          Mirror found = mirror(streamId, next);
          mirror = found.stream();
          trustMirror = !found.logClosed();
        }
        if (trustMirror && mirror != null && next >= mirror.base()) {
          End end = fromMirror();
          if (end != null) {
            return end;
          }
          continue;
        }
        End end = fromLog();
        if (end != null) {
          return end;
        }
      }
    }

    /** One step from the mirror: frames, a wait, or the end; null to go on. */
    private End fromMirror() throws IOException, InterruptedException {
      // why: look at closed before taking the frames. The writer publishes its last frame, then
      // closes; a close seen first means the frames taken after it are all there are. Looked at
      // after an empty take, a close could hide a last frame published in between, and the
      // reader ended with a lone finish in place of the run's own (seen once in 8,000 turns of
      // scripts/soak).
      boolean closed = mirror.closed();
      List<Frame> frames = mirror.framesFrom(next);
      if (!frames.isEmpty()) {
        send(frames);
      } else if (next < mirror.base()) {
        // why: the mirror of a long stream slid past the cursor since the look above; the log
        // has the frames it dropped.
        return null;
      } else if (closed) {
        if (finished()) {
          return closed();
        }
        // why: a mirror can close short of the log: a survivor's copy of a stream whose writer
        // died, to which recovery wrote the end through the log (found by scripts/crash-campaign:
        // readers ended with a lone finish). The log has the rest.
        trustMirror = false;
      } else if (!mirror.await(next, heartbeat.toNanos())) {
        if (finished()) {
          return closed();
        }
        // why: a quiet mirror may be one whose feed lost the stream (expired, deleted, or its end
        // marker gone with a Redis that kept nothing): the log is the truth, so ask it.
        Optional<StreamInfo> info = log.info(streamId);
        if (info.isEmpty()) {
          return End.MISSING;
        }
        trustMirror = !info.get().closed();
        sink.heartbeat();
        quietSince = System.nanoTime();
      }
      return null;
    }

    /** One step from the log: frames, a wait, or the end; null to go on. */
    private End fromLog() throws IOException, InterruptedException {
      List<LogEntry> entries = log.read(streamId, next, logBatch);
      logBatch = LOG_BATCH;
      if (!entries.isEmpty()) {
        send(entries.stream().map(Frame::of).toList());
        return null;
      }
      Optional<StreamInfo> info = log.info(streamId);
      if (info.isEmpty()) {
        return End.MISSING;
      }
      if (info.get().closed() && info.get().tailIndex() < next) {
        return closed();
      }
      if (!trustMirror || hub.find(streamId).isEmpty()) {
        // why: nothing new in the log and no writer on this node yet: a queued run's writer
        // registers when the run starts here. Wait for a stream to open, then look at the log
        // again. A reader that gave up on its mirror waits the same way, instead of asking the
        // log without pause.
        hub.awaitOpen(orphanPoll);
      }
      // why: looked at after the wait, where the heartbeat is due. Looked at before it, the quiet
      // period had to run out in the instant between a heartbeat and the next wait, and a reader
      // that had sent finish almost never ended (stream/StreamReaderTest timed out now and then).
      if (System.nanoTime() - quietSince >= heartbeat.toNanos()) {
        if (finished()) {
          return closed();
        }
        sink.heartbeat();
        quietSince = System.nanoTime();
      }
      return null;
    }

    private void send(List<Frame> frames) throws IOException {
      sink.write(frames);
      next += frames.size();
      sentFinish = frames.getLast().finish();
      quietSince = System.nanoTime();
    }

    /** Whether the reader's last frame is finish, sent here or before its cursor. */
    private boolean finished() {
      return sentFinish || (next == start && finishBefore());
    }

    private boolean finishBefore() {
      if (finishBefore == null) {
        finishBefore = start > 0 && isFinish(start - 1);
      }
      return finishBefore;
    }

    private boolean isFinish(long index) {
      if (mirror != null && index >= mirror.base()) {
        List<Frame> held = mirror.framesFrom(index);
        if (!held.isEmpty()) {
          return held.getFirst().finish();
        }
      }
      List<LogEntry> entry = log.read(streamId, index, 1);
      return !entry.isEmpty() && entry.getFirst().finish();
    }

    /** The stream ended; the sink learns whether its finish came before this reader's cursor. */
    private End closed() {
      if (next == start && finishBefore()) {
        sink.finishedBefore();
      }
      return End.CLOSED;
    }
  }

  /**
   * The index of the stream's last chunk, -1 when it has none or does not exist. A closed mirror
   * knows it exactly, which spares a resume of a run that just finished a trip to the log.
   */
  public long tailIndex(String streamId) {
    Optional<LiveStream> mirror = hub.find(streamId);
    if (mirror.isPresent() && mirror.get().closed()) {
      return mirror.get().next() - 1;
    }
    return log.info(streamId).map(StreamInfo::tailIndex).orElse(-1L);
  }

  /** What looking for a mirror found: the mirror, if any, and whether the log said closed. */
  private record Mirror(LiveStream stream, boolean logClosed) {}

  /**
   * The node's mirror of the stream: the one written here, or, for an open stream written
   * elsewhere, one attached to the remote feed. A stream that no longer exists gets none, so that
   * its reader ends; one that the log has closed gets none either, and its reader reads the rest
   * from the log without asking again.
   */
  private Mirror mirror(String streamId, long next) {
    Optional<LiveStream> local = hub.find(streamId);
    if (local.isPresent()) {
      return new Mirror(local.get(), false);
    }
    Optional<StreamInfo> info = log.info(streamId);
    if (info.isEmpty()) {
      return new Mirror(null, false);
    }
    if (info.get().closed()) {
      return new Mirror(null, true);
    }
    return new Mirror(hub.attach(streamId, next).orElse(null), false);
  }
}
