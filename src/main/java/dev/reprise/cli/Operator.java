package dev.reprise.cli;

import dev.reprise.app.Security;
import dev.reprise.app.Storage;
import dev.reprise.auth.Account;
import dev.reprise.auth.AccountStore;
import dev.reprise.auth.ApiKeys;
import dev.reprise.config.RepriseConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * What an operator command works on: the configured storage (the data dir, or the cluster's
 * database) opened directly, next to a running server. Close it when done.
 */
final class Operator implements AutoCloseable {
  private final Storage storage;
  private final ApiKeys keys;
  private final Clock clock;

  private Operator(Storage storage, ApiKeys keys, Clock clock) {
    this.storage = storage;
    this.keys = keys;
    this.clock = clock;
  }

  /** Opens the storage {@code env} configures; {@code dataDir} overrides REPRISE_DATA_DIR. */
  static Operator open(Map<String, String> env, Path dataDir) {
    Map<String, String> settings = new HashMap<>(env);
    if (dataDir != null) {
      settings.put("REPRISE_DATA_DIR", dataDir.toString());
    }
    RepriseConfig config = RepriseConfig.fromEnvironment(settings);
    Clock clock = Clock.systemUTC();
    Storage storage = Storage.open(config, clock);
    try {
      return new Operator(storage, Security.apiKeys(config, storage, clock), clock);
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  AccountStore accounts() {
    return storage.accounts();
  }

  ApiKeys keys() {
    return keys;
  }

  Clock clock() {
    return clock;
  }

  /** The named account; a configuration error (exit 2) when there is none. */
  Account account(String name) {
    return storage
        .accounts()
        .findByName(name)
        .orElseThrow(() -> new UsageException("no account named '" + name + "'"));
  }

  @Override
  public void close() {
    storage.close();
  }
}
