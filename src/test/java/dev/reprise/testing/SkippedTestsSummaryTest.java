package dev.reprise.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkippedTestsSummaryTest {
  @TempDir Path dir;

  // The fixtures run only through the launcher below: Surefire leaves nested classes out.

  static class Fixture {
    @Test
    void aborted() {
      Assumptions.abort("Redis is not available on this machine; skipping");
    }

    @Test
    @Disabled("not today")
    void disabled() {}

    @Test
    void passes() {}
  }

  static class ManySkipped {
    @Test
    void one() {
      Assumptions.abort("no PostgreSQL");
    }

    @Test
    void two() {
      Assumptions.abort("no PostgreSQL");
    }
  }

  @Disabled("no service")
  static class DisabledFixture {
    @Test
    void never() {}
  }

  static class PassingFixture {
    @Test
    void passes() {}
  }

  private Path run(Class<?>... classes) {
    Path file = dir.resolve("target/skipped-tests.txt");
    // why: without auto-registration, only this instance listens (not the one the build registers).
    Launcher launcher =
        LauncherFactory.create(
            LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (Class<?> type : classes) {
      request.selectors(selectClass(type));
    }
    launcher.execute(request.build(), new SkippedTestsSummary(file));
    return file;
  }

  @Test
  void every_skip_is_listed_once_with_its_reason_a_class_and_reason_on_one_line()
      throws IOException {
    Path file = run(Fixture.class, DisabledFixture.class, ManySkipped.class);

    assertThat(Files.readAllLines(file))
        .containsExactly(
            "DisabledFixture: no service",
            "Fixture.aborted: Redis is not available on this machine; skipping",
            "Fixture.disabled: not today",
            "ManySkipped (2 tests): no PostgreSQL");
  }

  @Test
  void a_second_run_adds_its_lines_and_a_run_without_skips_writes_nothing() throws IOException {
    run(PassingFixture.class);
    assertThat(dir.resolve("target/skipped-tests.txt")).doesNotExist();

    run(DisabledFixture.class);
    Path file = run(ManySkipped.class);

    assertThat(Files.readAllLines(file))
        .containsExactly("DisabledFixture: no service", "ManySkipped (2 tests): no PostgreSQL");
  }
}
