package dev.reprise.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need something outside the JVM (Node, PostgreSQL, Redis) skip on a developer machine
 * that lacks it, with a message saying so; in CI (CI=true) a missing service fails the test
 * instead.
 */
public final class TestEnvironment {
  private TestEnvironment() {}

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Skips (or, in CI, fails) when {@code available} is false. */
  public static void require(boolean available, String what) {
    if (!available) {
      String message = what + " is not available on this machine";
      if (inCi()) {
        throw new AssertionError(message + " (CI=true: a missing service is a failure)");
      }
      Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
    }
  }

  /** True when {@code command --version} runs and exits 0. */
  public static boolean hasCommand(String command) {
    try {
      Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** True when an executable of that name is on the PATH (for tools without a --version). */
  public static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
