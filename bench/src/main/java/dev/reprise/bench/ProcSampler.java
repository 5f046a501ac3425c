package dev.reprise.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU and memory of server processes, from /proc/PID/stat (utime + stime, in clock ticks) and
 * /proc/PID/status (VmRSS), sampled every 100 ms between start and stop.
 */
final class ProcSampler implements AutoCloseable {
  static final double TICKS_PER_SECOND = 100.0;

  private final List<Long> pids;
  private final long startTicks;
  private final long startNanos;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peakRssKb;
  private long endTicks;
  private long endNanos;

  private ProcSampler(List<Long> pids) {
    this.pids = pids;
    this.startTicks = ticks(pids);
    this.startNanos = System.nanoTime();
    this.peakRssKb = rssKb(pids);
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("proc-sampler")
            .start(
                () -> {
                  while (running) {
                    peakRssKb = Math.max(peakRssKb, rssKb(pids));
                    try {
                      Thread.sleep(100);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  static ProcSampler start(List<Long> pids) {
    return new ProcSampler(pids);
  }

  /** Stops sampling; cpu() and peakRssMb() then describe the window. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    thread.interrupt();
    endTicks = ticks(pids);
    endNanos = System.nanoTime();
    peakRssKb = Math.max(peakRssKb, rssKb(pids));
  }

  /** Average CPU over the window, in % of one core (200 % = both cores of this machine). */
  double cpuPercent() {
    double seconds = (endNanos - startNanos) / 1e9;
    return seconds <= 0 ? 0 : (endTicks - startTicks) / TICKS_PER_SECOND / seconds * 100.0;
  }

  double cpuSeconds() {
    return (endTicks - startTicks) / TICKS_PER_SECOND;
  }

  double peakRssMb() {
    return peakRssKb / 1024.0;
  }

  static double rssMb(List<Long> pids) {
    return rssKb(pids) / 1024.0;
  }

  static long ticks(List<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        // gone
      }
    }
    return total;
  }

  static long rssKb(List<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            total += Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | RuntimeException e) {
        // gone
      }
    }
    return total;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
