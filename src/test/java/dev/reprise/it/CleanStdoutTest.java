package dev.reprise.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator commands print their result on stdout, where scripts read it, with the server's own
 * logging configuration (not the tests'): nothing else may land there, in either log format.
 */
class CleanStdoutTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @ValueSource(strings = {"text", "json"})
  void keys_create_prints_only_the_key_on_stdout(String format) throws Exception {
    String classpath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.contains("test-classes"))
            .reduce((a, b) -> a + File.pathSeparator + b)
            .orElseThrow();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-cp", classpath, "dev.reprise.cli.RepriseCli"));
    command.addAll(
        List.of("keys", "create", "--account", "stdout", "--data-dir", dataDir.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("REPRISE_LOG_FORMAT", format);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).as(out).doesNotContain("logback").doesNotContain("|-");
    assertThat(out.lines()).as(out).anyMatch(line -> line.startsWith("rpr_sk_"));
  }
}
