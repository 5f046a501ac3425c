package dev.reprise.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Asks a server JVM about its heap with jcmd (from the JDK that runs the bench). */
final class Jvm {
  private static final Pattern USED = Pattern.compile("heap\\s+total.*?used (\\d+)K");

  private Jvm() {}

  static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    String jcmd = System.getProperty("java.home") + "/bin/jcmd";
    String[] args = new String[command.length + 2];
    args[0] = jcmd;
    args[1] = Long.toString(pid);
    System.arraycopy(command, 0, args, 2, command.length);
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** Heap in use after a full collection, in MB. */
  static double heapUsedMbAfterGc(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    Thread.sleep(300);
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = USED.matcher(info);
    if (!m.find()) {
      throw new IOException("cannot read the heap from: " + info);
    }
    return Long.parseLong(m.group(1)) / 1024.0;
  }
}
