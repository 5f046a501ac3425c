package dev.reprise.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.ServerProcess;
import dev.reprise.testing.ServerProcess.Finished;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees when {@code reprise serve} cannot start: one line, and the process ends.
 */
class StartupFailureTest {
  @TempDir Path dataDir;

  @Test
  void a_port_in_use_prints_one_line_naming_it_and_the_process_exits() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      // why: run() bounds the wait; before the fix the process kept running after the failure.
      Finished serve =
          ServerProcess.run(List.of("serve", "--port", Integer.toString(port)), dataDir, Map.of());

      assertThat(serve.exit()).isEqualTo(1);
      assertThat(serve.output().strip().lines())
          .containsExactly(
              "reprise: port " + port + " is already in use; set REPRISE_PORT or --port");
    }
  }

  @Test
  void a_port_option_that_is_not_a_number_prints_one_line_not_the_usage() {
    Finished serve = ServerProcess.run(List.of("serve", "--port", "abc"), dataDir, Map.of());

    assertThat(serve.exit()).isEqualTo(2);
    assertThat(serve.output().strip().lines())
        .containsExactly(
            "reprise: configuration error: REPRISE_PORT must be a whole number, got 'abc'");
  }
}
