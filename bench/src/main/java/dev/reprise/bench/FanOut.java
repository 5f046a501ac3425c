package dev.reprise.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Scenarios 1 and 2: M runs at once, each followed by K watchers that attach right after the run
 * started (through the resume path: they replay what they missed, then follow it live). Latency is
 * counted for the chunks a watcher receives live, i.e. emitted after its response headers arrived;
 * replayed ones are only checked for completeness.
 */
final class FanOut {

  record Result(
      String system,
      int runs,
      int watchersPerRun,
      int chunks,
      int interval,
      int attached,
      double attachSeconds,
      long liveSamples,
      double p50,
      double p99,
      double p999,
      double max,
      double runSeconds,
      double generationLagMs,
      int failures,
      String failure,
      double serverCpu,
      double redisCpu,
      double rssMb,
      double clientCpu,
      double deliveredPerSecond,
      String load) {}

  /** Watchers connecting at once: below Node's default listen backlog (511). */
  static final int MAX_CONNECTING = 256;

  private FanOut() {}

  static Result run(Target target, int runs, int watchers, int chunks, int interval, long graceMs)
      throws Exception {
    String load = ProcSampler.loadAverage();
    int total = runs * watchers;
    Histogram latency = new Histogram(3_600_000_000L, 3);
    Timeline timeline = new Timeline(SseEngine.wallMicros());
    CountDownLatch ended = new CountDownLatch(total);
    long[] counters = new long[6]; // 0 attached, 1 failures, 2 stamps, 3 attach end nanos, 4 last recv micros max
    Map<Target.Run, long[]> perRun = new LinkedHashMap<>();
    String[] firstFailure = {null};
    long clientTicks0 = ProcSampler.ticks(List.of(ProcessHandle.current().pid()));

    SseEngine.Listener poster =
        new SseEngine.Listener() {
          @Override
          public void onHeaders(SseEngine.Conn c) {
            ((Target.Run) c.tag).ready = true;
          }

          @Override
          public void onStamp(SseEngine.Conn c, long index, long emit, long recv) {
            Target.Run run = (Target.Run) c.tag;
            run.lastIndexSeenByPoster = index;
            if (index == run.chunks - 1) {
              run.lastEmitMicros = emit;
            }
          }

          @Override
          public long onEnd(SseEngine.Conn c, boolean ok, String why) {
            ((Target.Run) c.tag).producerDone = true;
            return -1;
          }
        };
    SseEngine.Listener watcher =
        new SseEngine.Listener() {
          @Override
          public void onHeaders(SseEngine.Conn c) {
            if (c.status == 200) {
              counters[0]++;
              counters[3] = Math.max(counters[3], c.headersNanos);
            }
          }

          @Override
          public void onStamp(SseEngine.Conn c, long index, long emit, long recv) {
            counters[2]++;
            if (emit >= c.headersMicros) {
              latency.recordValue(Math.max(0, recv - emit));
              timeline.record(emit, recv - emit);
            }
            if (index == ((Target.Run) c.tag).chunks - 1) {
              long[] r = perRun.get((Target.Run) c.tag);
              r[0] = Math.max(r[0], recv);
            }
          }

          @Override
          public long onEnd(SseEngine.Conn c, boolean ok, String why) {
            Target.Run run = (Target.Run) c.tag;
            if (c.status == 204 && target.retryOn204() && !run.producerDone && c.attempts < 500) {
              return 20;
            }
            boolean complete =
                ok && c.status == 200 && c.lastIndex == run.chunks - 1 && c.outOfOrder == 0;
            if (!complete) {
              counters[1]++;
              if (firstFailure[0] == null) {
                firstFailure[0] =
                    "status " + c.status + ", last chunk " + c.lastIndex + ", out of order "
                        + c.outOfOrder + (why == null ? "" : ", " + why);
              }
            }
            ended.countDown();
            return -1;
          }
        };

    List<Target.Run> started = new ArrayList<>();
    SseEngine engine = new SseEngine(new InetSocketAddress(Target.HOST, target.port), MAX_CONNECTING);
    ProcSampler server = ProcSampler.start(target.pids);
    ProcSampler redis = ProcSampler.start(target.redisPids);
    long t0 = System.nanoTime();
    try {
      for (int r = 0; r < runs; r++) {
        Target.Run run = target.start(engine, poster, chunks, interval, 0);
        perRun.put(run, new long[] {0});
        started.add(run);
      }
      long readyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      long attachStart = 0;
      for (Target.Run run : started) {
        while (!run.ready && System.nanoTime() < readyDeadline) {
          Thread.sleep(1);
        }
      }
      attachStart = System.nanoTime();
      for (int k = 0; k < watchers; k++) {
        for (Target.Run run : started) {
          engine.submit(new SseEngine.Conn(target.watch(run), watcher, run));
        }
      }
      long waitMs = (long) chunks * interval + graceMs;
      boolean all = ended.await(waitMs, TimeUnit.MILLISECONDS);
      server.close();
      redis.close();
      long elapsedNanos = System.nanoTime() - t0;
      double clientCpu =
          (ProcSampler.ticks(List.of(ProcessHandle.current().pid())) - clientTicks0)
              / ProcSampler.TICKS_PER_SECOND / (elapsedNanos / 1e9) * 100;
      engine.close();
      System.err.println(target.name + " W = " + watchers + " " + timeline);
      long attached;
      long failures;
      long stamps;
      long attachEnd;
      synchronized (counters) {
        attached = counters[0];
        failures = counters[1] + ended.getCount();
        stamps = counters[2];
        attachEnd = counters[3];
      }
      if (!all && firstFailure[0] == null) {
        firstFailure[0] = ended.getCount() + " watchers not done after " + waitMs / 1000 + " s";
      }
      double runSeconds = 0;
      double lag = 0;
      for (Map.Entry<Target.Run, long[]> e : perRun.entrySet()) {
        Target.Run run = e.getKey();
        long lastRecv = e.getValue()[0];
        runSeconds = Math.max(runSeconds, lastRecv == 0 ? Double.NaN : (lastRecv - run.startMicros) / 1e6);
        if (run.lastEmitMicros > 0) {
          lag = Math.max(lag, (run.lastEmitMicros - run.startMicros) / 1e3 - (double) chunks * interval);
        }
      }
      return new Result(
          target.name,
          runs,
          watchers,
          chunks,
          interval,
          (int) attached,
          attachEnd == 0 ? Double.NaN : (attachEnd - attachStart) / 1e9,
          latency.getTotalCount(),
          latency.getValueAtPercentile(50) / 1e3,
          latency.getValueAtPercentile(99) / 1e3,
          latency.getValueAtPercentile(99.9) / 1e3,
          latency.getMaxValue() / 1e3,
          runSeconds,
          lag,
          (int) failures,
          firstFailure[0],
          server.cpuPercent(),
          target.redisPids.isEmpty() ? Double.NaN : redis.cpuPercent(),
          server.peakRssMb(),
          clientCpu,
          stamps / (elapsedNanos / 1e9),
          load);
    } finally {
      server.close();
      redis.close();
      engine.close();
      for (Target.Run run : started) {
        if (run.producer != null) {
          run.producer.join(2_000);
        }
      }
    }
  }
}
