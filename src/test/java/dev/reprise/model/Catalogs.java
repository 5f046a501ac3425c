package dev.reprise.model;

import dev.reprise.app.ModelCatalog;
import dev.reprise.config.ModelsConfig;
import dev.reprise.testing.SettableClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Builds the catalog the way the server does, from environment variables. */
public final class Catalogs {
  public static final SettableClock CLOCK = SettableClock.at("2026-11-26T12:20:00Z");

  private Catalogs() {}

  /** Fast retries, so that tests never wait on backoff; the rest as in production. */
  public static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("REPRISE_MODEL_RETRY_BACKOFF", "1ms");
    env.put("REPRISE_MODEL_RETRY_MAX_WAIT", "5ms");
    env.put("REPRISE_MODEL_TIMEOUT", "10s");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  public static ModelCatalog build(Map<String, String> env) {
    return ModelCatalog.build(
        ModelsConfig.fromEnvironment(env), CLOCK, new OfflineModel(CLOCK, Duration.ZERO));
  }

  public static ChatModel model(ModelCatalog catalog, String id) {
    return catalog.models().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
  }
}
