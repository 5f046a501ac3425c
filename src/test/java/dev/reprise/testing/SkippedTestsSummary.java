package dev.reprise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Adds every skipped test and its reason to {@code target/skipped-tests.txt} at the end of a run
 * (registered in META-INF/services), one line per class and reason; {@code ./reprise test} prints
 * the file once Maven is done. Surefire's console shows only how many tests were skipped, and a
 * test skipped for a missing PostgreSQL, Redis or Node should not go unnoticed.
 */
public final class SkippedTestsSummary implements TestExecutionListener {
  private record Skip(String className, String test, String reason) {}

  private final ConcurrentLinkedQueue<Skip> skipped = new ConcurrentLinkedQueue<>();
  private final Path file;

  public SkippedTestsSummary() {
    this(Path.of(System.getProperty("reprise.projectDir", "."), "target", "skipped-tests.txt"));
  }

  SkippedTestsSummary(Path file) {
    this.file = file;
  }

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    skipped.add(skip(test, reason));
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      skipped.add(skip(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted")));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    if (skipped.isEmpty()) {
      return;
    }
    Map<String, List<Skip>> byClassAndReason = new TreeMap<>();
    for (Skip skip : skipped) {
      byClassAndReason
          .computeIfAbsent(skip.className() + "\n" + skip.reason(), key -> new ArrayList<>())
          .add(skip);
    }
    StringBuilder lines = new StringBuilder();
    for (List<Skip> group : byClassAndReason.values()) {
      Skip first = group.getFirst();
      String what =
          group.size() > 1
              ? first.className() + " (" + group.size() + " tests)"
              : first.test() == null ? first.className() : first.className() + "." + first.test();
      lines.append(what).append(": ").append(first.reason()).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      // why: appended, so that every test JVM of one build (see the dist profile) adds its own.
      Files.writeString(
          file,
          lines,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Skip skip(TestIdentifier test, String reason) {
    TestSource source = test.getSource().orElse(null);
    if (source instanceof MethodSource method) {
      return new Skip(method.getJavaClass().getSimpleName(), method.getMethodName(), reason);
    }
    if (source instanceof ClassSource type) {
      return new Skip(type.getJavaClass().getSimpleName(), null, reason);
    }
    return new Skip(test.getDisplayName(), null, reason);
  }
}
