package dev.reprise.it;

import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Bodies;
import dev.reprise.testing.SseEvents;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive, as an operator gets it: unpacked into an empty folder and run with no Java
 * on the PATH and no JAVA_HOME, it creates a key and serves a streamed chat over HTTP. The dist
 * profile builds the archive and runs this test ({@code ./reprise dist}).
 */
class DistTest {
  @TempDir Path dir;

  private Path home;
  private Map<String, String> env;

  @Test
  void the_unpacked_release_creates_a_key_and_streams_a_chat_on_its_own_runtime() throws Exception {
    unpack(archive());
    String key = lastLine(run("keys", "create", "--account", "release"));
    assertThat(key).matches("rpr_sk_[A-Za-z0-9_-]{43}");
    assertThat(run("--version")).contains("reprise ");

    int port = freePort();
    Path log = dir.resolve("serve.log");
    Process server =
        command(List.of("serve", "--port", Integer.toString(port)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      ApiClient client = new ApiClient("http://127.0.0.1:" + port);
      Awaitility.await("the release to answer /health")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(
              () -> {
                if (!server.isAlive()) {
                  throw new AssertionError("the server exited: " + Files.readString(log));
                }
                return client.get("/health").statusCode() == 200;
              });
      // why: bin/reprise execs the runtime that came in the archive, not some other Java.
      assertThat(server.info().command().orElseThrow())
          .isEqualTo(home.resolve("runtime/bin/java").toString());

      HttpResponse<String> chat =
          client.post(
              "/api/chat",
              Bodies.chatTurn(newChatId(), "hello from the release"),
              "x-api-key",
              key);

      assertThat(chat.statusCode()).as(Files.readString(log)).isEqualTo(200);
      List<String> chunks = SseEvents.chunks(chat.body());
      assertThat(types(chunks)).startsWith("start").endsWith("finish");
      assertThat(Bodies.text(chunks)).contains("hello from the release");
      assertThat(parse(client.get("/api/models", "x-api-key", key).body()).toString())
          .contains("offline")
          .doesNotContain("bench");
    } finally {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    assertThat(Files.readString(log)).doesNotContain("Exception");
  }

  /** The archive the dist profile built; without the profile there is none, and this skips. */
  private static Path archive() throws IOException {
    String built = System.getProperty("reprise.dist.dir");
    Assumptions.assumeTrue(
        built != null, "the release archive is built and tested by ./reprise dist (profile dist)");
    String prefix = "reprise-" + System.getProperty("reprise.dist.version") + "-linux-";
    try (Stream<Path> files = Files.list(Path.of(built))) {
      List<Path> archives =
          files
              .filter(f -> f.getFileName().toString().startsWith(prefix))
              .filter(f -> f.getFileName().toString().endsWith(".tar.gz"))
              .toList();
      assertThat(archives).as("archives in " + built).hasSize(1);
      return archives.getFirst();
    }
  }

  private void unpack(Path archive) throws Exception {
    Process tar =
        new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(tar.getInputStream().readAllBytes());
    assertThat(tar.waitFor()).as(out).isZero();
    String name = archive.getFileName().toString().replaceFirst("-linux-[^-]+\\.tar\\.gz$", "");
    home = dir.resolve(name);
    assertThat(home.resolve("bin/reprise")).isExecutable();
    // why: an empty folder as the whole PATH and no JAVA_HOME: nothing but the release's own
    // runtime
    // can run the jar. The start script needs no other program.
    Path emptyPath = Files.createDirectory(dir.resolve("empty-path"));
    env = new HashMap<>();
    env.put("PATH", emptyPath.toString());
    env.put("HOME", dir.toString());
    env.put("REPRISE_DATA_DIR", dir.resolve("data").toString());
    env.put("REPRISE_HOST", "127.0.0.1");
    env.put("REPRISE_OFFLINE_DELAY_MS", "1");
    env.put("REPRISE_LOG_LEVEL", "WARN");
  }

  private ProcessBuilder command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/reprise").toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder;
  }

  /** Runs a command to its end (bounded) and returns what it printed; it must succeed. */
  private String run(String... args) throws Exception {
    Path out = Files.createTempFile(dir, "command", ".log");
    Process process =
        command(List.of(args)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String printed = Files.readString(out);
    assertThat(exited).as("reprise %s exited: %s", List.of(args), printed).isTrue();
    assertThat(process.exitValue()).as("reprise %s: %s", List.of(args), printed).isZero();
    return printed;
  }

  private static String lastLine(String output) {
    return output.strip().lines().toList().getLast();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
