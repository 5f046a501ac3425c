package dev.reprise.cli;

import dev.reprise.app.Reprise;
import dev.reprise.config.RepriseConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the server until the process is told to stop. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the server (embedded SQLite storage in the data dir).")
final class ServeCommand implements Callable<Integer> {
  private final Map<String, String> env;

  // why: a String, so that a bad value is refused like REPRISE_PORT's, not with picocli's usage.
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on (overrides REPRISE_PORT; default 8080).")
  private String port;

  @Option(
      names = "--data-dir",
      description = "Where data is kept (overrides REPRISE_DATA_DIR; default ./data).")
  private Path dataDir;

  ServeCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> settings = new HashMap<>(env);
    if (port != null) {
      settings.put("REPRISE_PORT", port);
    }
    if (dataDir != null) {
      settings.put("REPRISE_DATA_DIR", dataDir.toString());
    }
    RepriseConfig config = RepriseConfig.fromEnvironment(settings);
    Reprise reprise = Reprise.start(config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  reprise.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }
}
