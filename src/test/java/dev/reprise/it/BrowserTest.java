package dev.reprise.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.NodeProject;
import dev.reprise.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chat page in real Chromium: web/e2e/*.test.mjs drive the system browser with playwright-core
 * against a reprise they start themselves (so that they can SIGKILL and restart it), with the page
 * served from this build's class path. Screenshots land in target/browser-screenshots.
 */
class BrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void the_chat_page_sends_resumes_and_survives_reloads_tabs_lost_networks_and_crashes()
      throws Exception {
    NodeProject web = NodeProject.at("web");
    TestEnvironment.require(
        Files.isExecutable(CHROMIUM), "Chromium (/usr/bin/chromium; apt-get install chromium)");
    TestEnvironment.require(
        BrowserTest.class.getResource("/web/index.html") != null,
        "The built chat page (web/dist, built by the Maven build when Node 20+ is there)");
    web.installed();
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Path screenshots = web.dir().resolveSibling("target").resolve("browser-screenshots");
    NodeProject.Result result =
        web.run(
            List.of("node", "--test", "--test-concurrency=1", "e2e/"),
            Map.of(
                "REPRISE_JAVA", javaBin,
                "REPRISE_CLASSPATH", System.getProperty("java.class.path"),
                "REPRISE_SCREENSHOT_DIR", screenshots.toString()),
            900);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("# fail 0").doesNotContain("# pass 0");
  }
}
