package dev.reprise.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The chat ladder (issue 17): M concurrent runs, each read by its poster (the POST's own response
 * stream), one in ten also by a second reader that joins mid-answer through the resume path. All
 * M POSTs are submitted at once (at most 256 connecting at a time). Latency counts every chunk the
 * poster receives and the chunks a resumer receives live (emitted after its response headers);
 * every reader must receive every chunk in order, or it counts as a failure.
 */
final class Ladder {

  record Result(
      String system,
      int runs,
      int resumers,
      int chunks,
      int interval,
      long samples,
      double p50,
      double p99,
      double p999,
      double max,
      double startSeconds,
      double startDelayP50Ms,
      double startDelayP99Ms,
      int lateStarts,
      double runSeconds,
      int peakConcurrent,
      int refused,
      int failures,
      String failure,
      long queuedMax,
      double serverCpu,
      double redisCpu,
      double rssMb,
      double clientCpu,
      double deliveredPerSecond,
      String load) {

    boolean passed() {
      return failures == 0 && p99 <= 50;
    }
  }

  /** A run whose first delta reached its poster more than this after the POST was written. */
  static final long LATE_START_MS = 1_000;

  private static final Pattern QUEUED = Pattern.compile("(?m)^reprise_runs_queued(?:\\{[^}]*\\})? ([0-9.eE+-]+)");

  private Ladder() {}

  static Result run(Target target, int runs, int resumeEvery, int chunks, int interval, long graceMs)
      throws Exception {
    String load = ProcSampler.loadAverage();
    int resumers = (runs + resumeEvery - 1) / resumeEvery;
    Histogram latency = new Histogram(3_600_000_000L, 3);
    CountDownLatch ended = new CountDownLatch(runs + resumers);
    long[] counters = new long[5]; // 0 failures, 1 refused, 2 chunks received, 3 last poster headers nanos
    String[] firstFailure = {null};
    long clientTicks0 = ProcSampler.ticks(List.of(ProcessHandle.current().pid()));
    long t0Micros = SseEngine.wallMicros();
    Timeline timeline = new Timeline(t0Micros);

    SseEngine[] engineRef = new SseEngine[1];
    SseEngine.Listener[] resumerRef = new SseEngine.Listener[1];
    SseEngine.Listener poster =
        new SseEngine.Listener() {
          @Override
          public void onHeaders(SseEngine.Conn c) {
            Target.Run run = (Target.Run) c.tag;
            run.sentMicros = run.startMicros + (c.sentNanos - run.startNanos) / 1_000;
            run.ready = true;
            counters[3] = Math.max(counters[3], c.headersNanos);
          }

          @Override
          public void onStamp(SseEngine.Conn c, long index, long emit, long recv) {
            Target.Run run = (Target.Run) c.tag;
            counters[2]++;
            latency.recordValue(Math.max(0, recv - emit));
            timeline.record(emit, recv - emit);
            if (index == 0) {
              run.firstEmitMicros = emit;
            }
            if (index == run.chunks - 1) {
              run.lastRecvMicros = recv;
            }
            // why: mid-answer by what the poster has seen, not by the clock: a run that waits in a
            // queue has not begun its answer when its POST's headers arrive.
            if (run.resume && !run.resumeSubmitted && index == run.chunks / 2) {
              run.resumeSubmitted = true;
              engineRef[0].submit(new SseEngine.Conn(target.watch(run), resumerRef[0], run));
            }
          }

          @Override
          public long onEnd(SseEngine.Conn c, boolean ok, String why) {
            Target.Run run = (Target.Run) c.tag;
            run.producerDone = true;
            run.ready = true;
            if (c.status != 200) {
              counters[1]++;
            }
            check(c, ok, why, run, "poster");
            ended.countDown();
            if (run.resume && !run.resumeSubmitted) {
              // the answer never reached its middle: no resumer (the poster's failure counts)
              run.resumeSubmitted = true;
              ended.countDown();
            }
            return -1;
          }

          private void check(SseEngine.Conn c, boolean ok, String why, Target.Run run, String who) {
            boolean complete =
                ok && c.status == 200 && c.lastIndex == run.chunks - 1 && c.outOfOrder == 0;
            if (!complete) {
              counters[0]++;
              if (firstFailure[0] == null) {
                firstFailure[0] =
                    who + ": status " + c.status + ", last chunk " + c.lastIndex + ", out of order "
                        + c.outOfOrder + (why == null ? "" : ", " + why);
              }
            }
          }
        };
    SseEngine.Listener resumer =
        new SseEngine.Listener() {
          @Override
          public void onStamp(SseEngine.Conn c, long index, long emit, long recv) {
            counters[2]++;
            if (emit >= c.headersMicros) {
              latency.recordValue(Math.max(0, recv - emit));
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
              counters[0]++;
              if (firstFailure[0] == null) {
                firstFailure[0] =
                    "resumer: status " + c.status + ", last chunk " + c.lastIndex + ", out of order "
                        + c.outOfOrder + (why == null ? "" : ", " + why);
              }
            }
            ended.countDown();
            return -1;
          }
        };

    resumerRef[0] = resumer;
    List<Target.Run> started = new ArrayList<>();
    SseEngine engine =
        new SseEngine(new InetSocketAddress(Target.HOST, target.port), FanOut.MAX_CONNECTING);
    engineRef[0] = engine;
    ProcSampler server = ProcSampler.start(target.pids);
    ProcSampler redis = ProcSampler.start(target.redisPids);
    long[] queuedMax = {target instanceof Target.Reprise ? 0 : -1};
    Thread queuedPoller = queuedMax[0] < 0 ? null : pollQueued(target.port, queuedMax);
    long t0 = System.nanoTime();
    try {
      for (int r = 0; r < runs; r++) {
        Target.Run run = target.start(engine, poster, chunks, interval, 0);
        // why: volatile, set microseconds after the POST is submitted and read by the engine thread
        // when the poster has half of the answer, seconds later.
        run.resume = r % resumeEvery == 0;
        started.add(run);
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
      if (queuedPoller != null) {
        queuedPoller.interrupt();
        queuedPoller.join(2_000);
      }
      System.err.println(timeline);
      long failures = counters[0] + ended.getCount();
      if (!all && firstFailure[0] == null) {
        firstFailure[0] = ended.getCount() + " readers not done after " + waitMs / 1000 + " s";
      }
      double runSeconds = 0;
      double[] delays = new double[runs];
      int n = 0;
      int late = 0;
      for (Target.Run run : started) {
        runSeconds =
            Math.max(runSeconds, run.lastRecvMicros == 0 || run.sentMicros == 0
                ? Double.NaN : (run.lastRecvMicros - run.sentMicros) / 1e6);
        if (run.firstEmitMicros > 0 && run.sentMicros > 0) {
          double delay = (run.firstEmitMicros - run.sentMicros) / 1e3 - interval;
          delays[n++] = delay;
          if (delay > LATE_START_MS) {
            late++;
          }
        }
      }
      Arrays.sort(delays, 0, n);
      // How many answers were streaming at once at the peak (first delta emitted, last one not yet
      // received): with a slow start, M runs are not M concurrent runs.
      long[] events = new long[2 * runs];
      int e = 0;
      for (Target.Run run : started) {
        if (run.firstEmitMicros > 0 && run.lastRecvMicros > 0) {
          events[e++] = run.firstEmitMicros * 2 + 1; // odd: a start (sorts after an end at the same µs)
          events[e++] = run.lastRecvMicros * 2;
        }
      }
      Arrays.sort(events, 0, e);
      int concurrent = 0;
      int peak = 0;
      for (int i = 0; i < e; i++) {
        concurrent += (events[i] & 1) == 1 ? 1 : -1;
        peak = Math.max(peak, concurrent);
      }
      return new Result(
          target.name,
          runs,
          resumers,
          chunks,
          interval,
          latency.getTotalCount(),
          latency.getValueAtPercentile(50) / 1e3,
          latency.getValueAtPercentile(99) / 1e3,
          latency.getValueAtPercentile(99.9) / 1e3,
          latency.getMaxValue() / 1e3,
          counters[3] == 0 ? Double.NaN : (counters[3] - t0) / 1e9,
          n == 0 ? Double.NaN : delays[(int) Math.min(n - 1, Math.floor(n * 0.5))],
          n == 0 ? Double.NaN : delays[(int) Math.min(n - 1, Math.floor(n * 0.99))],
          late,
          runSeconds,
          peak,
          (int) counters[1],
          (int) failures,
          firstFailure[0],
          queuedMax[0],
          server.cpuPercent(),
          target.redisPids.isEmpty() ? Double.NaN : redis.cpuPercent(),
          server.peakRssMb(),
          clientCpu,
          counters[2] / (elapsedNanos / 1e9),
          load);
    } finally {
      server.close();
      redis.close();
      engine.close();
      if (queuedPoller != null) {
        queuedPoller.interrupt();
      }
    }
  }

  /** Polls reprise's {@code reprise_runs_queued} gauge every 200 ms; keeps the highest value. */
  private static Thread pollQueued(int port, long[] max) {
    return Thread.ofPlatform()
        .daemon()
        .name("queued-poller")
        .start(
            () -> {
              try (Http1 http = new Http1(Target.HOST, port)) {
                while (!Thread.currentThread().isInterrupted()) {
                  Http1.Response r = http.send("GET", "/metrics", null);
                  Matcher m = QUEUED.matcher(r.body());
                  if (m.find()) {
                    max[0] = Math.max(max[0], (long) Double.parseDouble(m.group(1)));
                  }
                  Thread.sleep(200);
                }
              } catch (IOException | InterruptedException | RuntimeException e) {
                // the step is over, or the server has no metrics
              }
            });
  }
}
