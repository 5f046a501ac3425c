package dev.reprise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * reprise in a process of its own, started with the test class path, so that it can be SIGKILLed.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final Path dataDir;
  private final Map<String, String> env;
  private final ApiClient client;
  private final Path log;

  private ServerProcess(
      Process process, Path dataDir, Map<String, String> env, int port, Path log) {
    this.process = process;
    this.dataDir = dataDir;
    this.env = env;
    this.client = new ApiClient("http://127.0.0.1:" + port);
    this.log = log;
  }

  public static ServerProcess start(Path dataDir, Map<String, String> env) {
    ServerProcess server = launch(dataDir, env);
    server.awaitHealthy();
    return server;
  }

  /**
   * Starts the process without waiting for it to answer, so that it can be killed while it starts
   * (during crash recovery); {@link #awaitHealthy()} waits for it.
   */
  public static ServerProcess launch(Path dataDir, Map<String, String> env) {
    int port = freePort();
    try {
      Path log = Files.createTempFile("reprise-server", ".log");
      ProcessBuilder builder =
          java(List.of("serve", "--port", Integer.toString(port)), dataDir, env);
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      return new ServerProcess(builder.start(), dataDir, env, port, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ProcessBuilder java(List<String> args, Path dataDir, Map<String, String> env) {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(javaBin);
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.reprise.cli.RepriseCli");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("REPRISE_DATA_DIR", dataDir.toString());
    builder.environment().put("REPRISE_HOST", "127.0.0.1");
    builder.environment().putAll(env);
    return builder;
  }

  /** Waits (at most 60 s) until the process answers {@code /health}; fails if it exits. */
  public void awaitHealthy() {
    Awaitility.await("reprise to answer /health (log: " + log + ")")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError("reprise exited: " + Files.readString(log));
              }
              HttpResponse<String> res = client.get("/health");
              return res.statusCode() == 200;
            });
  }

  /** How a command run to its end went: its exit status and everything it printed. */
  public record Finished(int exit, String output) {}

  /**
   * Runs {@code reprise ARGS} as its own process on {@code dataDir} until it exits (at most 60 s,
   * then it is killed and the test fails); standard output and error are read together.
   */
  public static Finished run(List<String> args, Path dataDir, Map<String, String> env) {
    try {
      // why: a file, not a pipe: reading a pipe to its end would wait as long as a server runs.
      Path log = Files.createTempFile("reprise-command", ".log");
      Process cli =
          java(args, dataDir, env).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean exited = cli.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        cli.destroyForcibly();
        cli.waitFor(30, TimeUnit.SECONDS);
      }
      String out = Files.readString(log);
      Files.delete(log);
      if (!exited) {
        throw new AssertionError("reprise " + args + " did not exit within 60 s: " + out);
      }
      return new Finished(cli.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code reprise keys create} as its own process on the same data dir; returns the key. */
  public String createKey(String account) {
    try {
      Process cli = java(List.of("keys", "create", "--account", account), dataDir, env).start();
      String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
        throw new AssertionError("keys create failed: " + out);
      }
      List<String> lines = out.strip().lines().toList();
      return lines.getLast();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public ApiClient client() {
    return client;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** The file the process writes its output to. */
  public Path log() {
    return log;
  }

  /** SIGKILL: no shutdown hook, no flush, nothing. Deletes its log (a killed node is dropped). */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    deleteLog();
  }

  /** Stops the process (SIGTERM, then SIGKILL after 30 s) and deletes its log. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
    deleteLog();
  }

  private void deleteLog() {
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // why: a log left in the temp dir is harmless; a failed clean-up must not fail the test.
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
