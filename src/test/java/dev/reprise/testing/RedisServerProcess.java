package dev.reprise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A redis-server of a test's own, with an append-only file fsynced on every write, that the test
 * can SIGKILL and start again on the same port and directory.
 */
public final class RedisServerProcess implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private RedisServerProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts one in {@code dir}; skips (or fails in CI) when redis-server is not installed. */
  public static RedisServerProcess start(Path dir) {
    TestEnvironment.require(TestEnvironment.hasCommand("redis-server"), "redis-server");
    RedisServerProcess server = new RedisServerProcess(dir, freePort());
    server.startAgain();
    return server;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public void startAgain() {
    List<String> command =
        List.of(
            "redis-server",
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--dir",
            dir.toString());
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(this::accepts);
  }

  /** SIGKILL: only what was fsynced survives. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  private boolean accepts() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return process.isAlive();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
