package dev.reprise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a fresh directory, for tests that fill a disk. Needs root; skips (or,
 * with CI=true, fails) where it cannot mount.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code size} (as mount takes it, e.g. "24m") on a new directory. */
  public static Tmpfs mount(String size) {
    try {
      Path dir = Files.createTempDirectory("reprise-tmpfs");
      String why =
          run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()));
      TestEnvironment.require(why == null, "a tmpfs mount (needs root; mount said: " + why + ")");
      return new Tmpfs(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Writes zeros to {@code name} until the file system is full; returns the file. */
  public Path fill(String name) {
    Path file = dir.resolve(name);
    byte[] block = new byte[64 * 1024];
    try (var out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      return file;
    }
  }

  /** Null when the command succeeded, else what it printed. */
  private static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "timed out";
      }
      return process.exitValue() == 0 ? null : out.strip();
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Override
  public void close() {
    String why = run(List.of("umount", dir.toString()));
    if (why != null) {
      why = run(List.of("umount", "-l", dir.toString()));
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // why: a lazily unmounted dir may still be busy; it is an empty temp dir either way.
    }
  }
}
