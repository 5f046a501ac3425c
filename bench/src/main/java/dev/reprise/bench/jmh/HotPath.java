package dev.reprise.bench.jmh;

import dev.reprise.protocol.Json;
import dev.reprise.protocol.UiChunk;
import dev.reprise.stream.Frame;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.SseEncoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Scenario 6: the per-chunk work on reprise's write path, for a bench-model text delta: Jackson
 * serialization of the UiChunk, SSE framing of its JSON, and both (what RunStream.emit plus
 * StreamWriter.append do before the log and the mirror).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPath {
  private final Json json = new Json();
  private final UiChunk.TextDelta chunk = new UiChunk.TextDelta("text-1", "w123|1795694400123456 ");
  private final String data = json.write(chunk);
  private long index = 123;

  @Benchmark
  public String serializeChunk() {
    return json.write(chunk);
  }

  @Benchmark
  public byte[] sseEncode() {
    return SseEncoder.event(index, data);
  }

  @Benchmark
  public Frame serializeAndFrame() {
    return Frame.of(new LogEntry(index, json.write(chunk), false));
  }

  @Benchmark
  public UiChunk parseChunk() {
    return json.chunk(data);
  }
}
