package dev.reprise.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine and the versions of everything measured. */
final class Environment {
  private Environment() {}

  static String sh(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(20, TimeUnit.SECONDS);
      return out;
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }

  static long redisPid(String redisUrl) {
    Matcher m = Pattern.compile("process_id:(\\d+)").matcher(sh("redis-cli", "-u", redisUrl, "info", "server"));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static Map<String, String> describe(Path nodeDir, String redisUrl, String pgUrl) {
    Map<String, String> env = new LinkedHashMap<>();
    String cpu = sh("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2");
    env.put("CPU", cpu.trim() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    env.put("Memory", sh("sh", "-c", "free -g | awk '/Mem:/{print $2\" GiB\"}'"));
    env.put("Kernel", sh("uname", "-sr"));
    env.put("JDK (servers and client)", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    env.put("Node", sh("node", "--version"));
    Matcher rv = Pattern.compile("redis_version:(\\S+)").matcher(sh("redis-cli", "-u", redisUrl, "info", "server"));
    env.put("Redis", rv.find() ? rv.group(1) + " (the machine's, at 127.0.0.1:6379; appendonly " + sh("redis-cli", "-u", redisUrl, "config", "get", "appendonly").replace("\n", " ").replace("appendonly ", "") + ")" : "?");
    if (!pgUrl.isBlank()) {
      env.put("PostgreSQL", sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atc", "show server_version"));
    }
    for (String pkg : List.of("resumable-stream", "redis", "ai", "@durable-streams/server")) {
      try {
        String json = Files.readString(nodeDir.resolve("node_modules").resolve(pkg).resolve("package.json"));
        Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        env.put("npm " + pkg, m.find() ? m.group(1) : "?");
      } catch (IOException e) {
        env.put("npm " + pkg, "not installed");
      }
    }
    String root = System.getProperty("bench.root", ".");
    String home = System.getProperty("bench.repriseHome", root);
    env.put("reprise", "commit " + sh("git", "-C", root, "rev-parse", "--short", "HEAD")
        + (home.equals(root) ? "" : ", jar built in " + home + " (REPRISE_HOME)"));
    return env;
  }
}
