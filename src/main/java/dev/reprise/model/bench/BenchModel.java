package dev.reprise.model.bench;

import dev.reprise.model.Cancellation;
import dev.reprise.model.CancelledException;
import dev.reprise.model.ChatModel;
import dev.reprise.model.ChunkSink;
import dev.reprise.model.ModelException;
import dev.reprise.model.ModelRequest;
import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.UiChunk;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code bench} model, a benchmarking tool: its reply is one text part of N {@code text-delta}
 * chunks on a drift-corrected schedule (delta i is due at t0 + (i+1)·I), where the last user
 * message reads {@code chunks=N interval=I} (I in milliseconds; defaults 600 and 20). Each delta is
 * exactly {@code w<i>|<emitWallMicros> }: the wall clock in microseconds since the epoch when the
 * chunk was generated, so that any client on the same machine can measure end-to-end latency as
 * receipt minus emission.
 */
public final class BenchModel implements ChatModel {
  public static final String ID = "bench";
  public static final int DEFAULT_CHUNKS = 600;
  public static final long DEFAULT_INTERVAL_MS = 20;
  static final int MAX_CHUNKS = 10_000_000;
  static final long MAX_INTERVAL_MS = Duration.ofHours(1).toMillis();
  static final String TEXT_ID = "text-1";

  private static final Pattern CHUNKS = Pattern.compile("\\bchunks\\s*=\\s*(\\d+)");
  private static final Pattern INTERVAL = Pattern.compile("\\binterval\\s*=\\s*(\\d+)");

  private final Clock clock;

  /** {@code clock} stamps the deltas; it should have microsecond precision (the system's has). */
  public BenchModel(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String id() {
    return ID;
  }

  /** What the prompt asks for. */
  record Plan(int chunks, long intervalMillis) {}

  @Override
  public FinishReason respond(ModelRequest request, ChunkSink sink, Cancellation cancellation)
      throws ModelException, CancelledException {
    Plan plan = plan(request.lastUserText());
    long start = System.nanoTime();
    long intervalNanos = Duration.ofMillis(plan.intervalMillis()).toNanos();
    cancellation.check();
    sink.emit(new UiChunk.StartStep());
    sink.emit(new UiChunk.TextStart(TEXT_ID));
    for (int i = 0; i < plan.chunks(); i++) {
      long wait = start + (i + 1) * intervalNanos - System.nanoTime();
      if (wait > 0) {
        cancellation.sleep(Duration.ofNanos(wait));
      } else {
        cancellation.check();
      }
      sink.emit(new UiChunk.TextDelta(TEXT_ID, delta(i, micros(clock.instant()))));
    }
    sink.emit(new UiChunk.TextEnd(TEXT_ID));
    sink.emit(new UiChunk.FinishStep());
    return FinishReason.STOP;
  }

  /** The delta text of chunk {@code i}, generated at {@code emitWallMicros}. */
  static String delta(int i, long emitWallMicros) {
    return "w" + i + "|" + emitWallMicros + " ";
  }

  static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  /** Reads {@code chunks=N interval=I} from the prompt; what it does not say takes the default. */
  static Plan plan(String prompt) throws ModelException {
    long chunks = number(CHUNKS, prompt, DEFAULT_CHUNKS);
    long interval = number(INTERVAL, prompt, DEFAULT_INTERVAL_MS);
    if (chunks > MAX_CHUNKS) {
      throw new ModelException("The bench model sends at most " + MAX_CHUNKS + " chunks.");
    }
    if (interval > MAX_INTERVAL_MS) {
      throw new ModelException(
          "The bench model's interval is at most " + MAX_INTERVAL_MS + " milliseconds.");
    }
    return new Plan((int) chunks, interval);
  }

  private static long number(Pattern pattern, String prompt, long fallback) throws ModelException {
    Matcher m = pattern.matcher(prompt);
    if (!m.find()) {
      return fallback;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ModelException("The bench model cannot read '" + m.group() + "'.");
    }
  }
}
