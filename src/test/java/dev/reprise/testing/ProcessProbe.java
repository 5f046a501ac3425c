package dev.reprise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a JVM process holds, from outside: heap used after a full GC ({@code jcmd}), live
 * platform threads, RSS, open file descriptors and TCP connections ({@code /proc}). Linux only.
 */
public final class ProcessProbe {
  private static final Pattern HEAP_USED =
      Pattern.compile("(?:garbage-first|heap)[^\\n]*?used (\\d+)K", Pattern.CASE_INSENSITIVE);

  /** One reading. Heap and RSS in KiB; tcp counts only this process's sockets. */
  public record Reading(
      long heapUsedAfterGcKib,
      int threads,
      long rssKib,
      int fds,
      int tcpEstablished,
      int tcpOther) {}

  private final long pid;
  private final Path jcmd;

  public ProcessProbe(long pid) {
    this.pid = pid;
    this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
  }

  public Reading read() {
    jcmd("GC.run");
    long heap = heapUsedKib(jcmd("GC.heap_info"));
    String status = readString(Path.of("/proc", Long.toString(pid), "status"));
    Set<String> sockets = new HashSet<>();
    int fds = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(fdDir())) {
      for (Path fd : dir) {
        fds++;
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            sockets.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // why: a descriptor closed between the listing and the read is simply gone.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int established = 0;
    int other = 0;
    for (String table : List.of("tcp", "tcp6")) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : readString(file).lines().skip(1).toList()) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && sockets.contains(f[9])) {
          if (f[3].equals("01")) {
            established++;
          } else {
            other++;
          }
        }
      }
    }
    return new Reading(
        heap,
        (int) statusValue(status, "Threads"),
        statusValue(status, "VmRSS"),
        fds,
        established,
        other);
  }

  /** The top of {@code jcmd GC.class_histogram}. */
  public String classHistogram(int lines) {
    return jcmd("GC.class_histogram").lines().limit(lines + 3L).reduce("", (a, b) -> a + b + "\n");
  }

  private Path fdDir() {
    return Path.of("/proc", Long.toString(pid), "fd");
  }

  static long heapUsedKib(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    if (!m.find()) {
      throw new IllegalStateException("no heap usage in: " + heapInfo);
    }
    return Long.parseLong(m.group(1));
  }

  private static long statusValue(String status, String key) {
    for (String line : status.lines().toList()) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException("no " + key + " in /proc status");
  }

  private String jcmd(String command) {
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("jcmd " + command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
