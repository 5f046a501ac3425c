package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.reprise.app.Reprise;
import dev.reprise.config.RepriseConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprise serve} refusing to start: a bad port, a port that is taken. */
class ServeCommandTest {
  @TempDir Path dataDir;

  private record Result(int exit, String err) {}

  private Result serve(Map<String, String> extraEnv, String... args) {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("REPRISE_DATA_DIR", dataDir.toString());
    env.put("REPRISE_HOST", "127.0.0.1");
    String[] command = new String[args.length + 1];
    command[0] = "serve";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      // why: a server that does start would serve until the JVM ends; fail instead of hanging.
      int exit =
          assertTimeoutPreemptively(Duration.ofSeconds(60), () -> RepriseCli.run(command, env));
      return new Result(exit, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(originalErr);
    }
  }

  @Test
  void a_port_option_that_is_not_a_number_is_refused_like_the_variable() {
    Result option = serve(Map.of(), "--port", "abc");
    Result variable = serve(Map.of("REPRISE_PORT", "abc"));

    assertThat(variable.exit()).isEqualTo(2);
    assertThat(variable.err().strip())
        .isEqualTo("reprise: configuration error: REPRISE_PORT must be a whole number, got 'abc'");
    assertThat(option).isEqualTo(variable);
    assertThat(serve(Map.of(), "--port", "70000").err().strip())
        .isEqualTo(
            "reprise: configuration error: REPRISE_PORT must be between 0 and 65535, got 70000");
  }

  @Test
  void a_port_in_use_is_one_line_and_an_exit_that_releases_the_data_dir() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      Result result = serve(Map.of(), "--port", Integer.toString(port));

      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.err())
          .isEqualTo(
              "reprise: port "
                  + port
                  + " is already in use; set REPRISE_PORT or --port"
                  + System.lineSeparator());
      Result metrics = serve(Map.of("REPRISE_METRICS_PORT", Integer.toString(port)), "--port", "0");
      assertThat(metrics.exit()).isEqualTo(1);
      assertThat(metrics.err().strip())
          .isEqualTo("reprise: port " + port + " is already in use; set REPRISE_METRICS_PORT");
    }
    Map<String, String> env =
        Map.of(
            "REPRISE_DATA_DIR", dataDir.toString(),
            "REPRISE_HOST", "127.0.0.1",
            "REPRISE_PORT", "0");
    try (Reprise next = Reprise.start(RepriseConfig.fromEnvironment(env), Clock.systemUTC())) {
      assertThat(next.port()).isPositive();
    }
  }
}
