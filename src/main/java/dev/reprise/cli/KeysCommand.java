package dev.reprise.cli;

import dev.reprise.app.Storage;
import dev.reprise.auth.ApiKeys;
import dev.reprise.auth.ServerSecret;
import dev.reprise.config.ConfigException;
import dev.reprise.config.RepriseConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * API key administration for operators, working directly on the data dir (the server may be
 * running).
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage API keys.",
    subcommands = {KeysCommand.Create.class})
final class KeysCommand implements Runnable {

  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create an API key for an account (created if needed).",
        "The key is printed once, alone on the last line of standard output."
      })
  static final class Create implements Callable<Integer> {
    private final Map<String, String> env;

    @Option(names = "--account", required = true, description = "Account name.")
    private String account;

    @Option(names = "--name", description = "A label for the key (default: cli).")
    private String name = "cli";

    @Option(
        names = "--expires-in",
        description = "Lifetime as an ISO-8601 duration, e.g. P30D or PT12H (default: never).")
    private String expiresIn;

    @Option(names = "--data-dir", description = "Overrides REPRISE_DATA_DIR (default ./data).")
    private Path dataDir;

    Create(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      Map<String, String> settings = new HashMap<>(env);
      if (dataDir != null) {
        settings.put("REPRISE_DATA_DIR", dataDir.toString());
      }
      RepriseConfig config = RepriseConfig.fromEnvironment(settings);
      if (account.isBlank()) {
        throw new ConfigException("--account must not be blank");
      }
      Clock clock = Clock.systemUTC();
      Instant expiresAt = expiresIn == null ? null : clock.instant().plus(parse(expiresIn));
      Storage storage = Storage.open(config, clock);
      try {
        ServerSecret secret =
            config
                .serverSecret()
                .map(ServerSecret::of)
                .orElseGet(() -> ServerSecret.loadOrCreate(config.dataDir()));
        ApiKeys.Issued issued =
            new ApiKeys(storage.accounts(), secret, clock).create(account, name, expiresAt);
        System.out.println(
            "account: " + issued.account().name() + " (" + issued.account().id() + ")");
        System.out.println("key id:  " + issued.record().id());
        if (expiresAt != null) {
          System.out.println("expires: " + expiresAt);
        }
        System.out.println(issued.key());
        return 0;
      } finally {
        storage.close();
      }
    }

    private static Duration parse(String value) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new ConfigException(
            "--expires-in must be an ISO-8601 duration such as P30D, got " + value);
      }
    }
  }
}
