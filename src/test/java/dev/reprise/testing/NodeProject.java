package dev.reprise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Node project of the repository (compat/, web/): its packages installed, its commands run. */
public final class NodeProject {
  private final Path dir;

  private NodeProject(Path dir) {
    this.dir = dir;
  }

  /** The project in this folder of the repository; skips (fails in CI) without Node and npm. */
  public static NodeProject at(String folder) {
    TestEnvironment.require(TestEnvironment.hasCommand("node"), "Node.js (node)");
    TestEnvironment.require(TestEnvironment.hasCommand("npm"), "npm");
    return new NodeProject(
        Path.of(System.getProperty("reprise.projectDir", ".")).resolve(folder).toAbsolutePath());
  }

  public Path dir() {
    return dir;
  }

  /** What a command printed (stdout and stderr together) and how it exited. */
  public record Result(int exitCode, String output) {}

  /** npm ci, unless node_modules already matches the lockfile. */
  public NodeProject installed() throws IOException, InterruptedException {
    Path installed = dir.resolve("node_modules/.package-lock.json");
    Path lock = dir.resolve("package-lock.json");
    if (Files.exists(installed)
        && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
      return this;
    }
    Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 600);
    assertThat(install.exitCode()).as("npm ci in " + dir + ":\n" + install.output()).isZero();
    return this;
  }

  public Result run(List<String> command, Map<String, String> env, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("node", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      return new Result(-1, "timed out after " + timeoutSeconds + " s:\n" + read(output));
    }
    return new Result(process.exitValue(), read(output));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
