package dev.reprise.app;

import dev.reprise.auth.ApiKeys;
import dev.reprise.auth.Authentication;
import dev.reprise.auth.JwtVerifier;
import dev.reprise.auth.ServerSecret;
import dev.reprise.config.LimitsConfig;
import dev.reprise.config.RepriseConfig;
import dev.reprise.http.AccountParts;
import dev.reprise.http.Authenticator;
import dev.reprise.limit.InMemoryReaderLimiter;
import dev.reprise.limit.ReaderLimiter;
import dev.reprise.run.RunQuota;
import dev.reprise.storage.redis.RedisReaderLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Authentication (API keys under the server secret and its predecessors, bearer JWTs when
 * configured) and the per-account limits, wired from the configuration.
 */
public record Security(
    ApiKeys keys, Authenticator authenticator, AccountParts accounts, ServerSecret secret)
    implements AutoCloseable {
  // why: a dead node's reader slots must come back soon, but renewals (every third of this) stay
  // rare.
  private static final Duration READER_LEASE = Duration.ofSeconds(30);

  /** Builds it; closing it closes the reader limiter. */
  public static Security open(RepriseConfig config, Storage storage, Clock clock) {
    ServerSecret secret = secret(config);
    ApiKeys keys = apiKeys(config, storage, clock, secret);
    Optional<JwtVerifier> jwt =
        config.jwt().enabled()
            ? Optional.of(new JwtVerifier(config.jwt(), clock))
            : Optional.empty();
    Authentication authentication =
        new Authentication(keys, jwt, storage.accounts(), config.jwt(), clock);
    ReaderLimiter readers = readerLimiter(config, clock);
    return new Security(
        keys,
        new Authenticator(authentication),
        new AccountParts(keys, storage.accounts(), config.limits(), readers),
        secret);
  }

  @Override
  public void close() throws Exception {
    accounts.readers().close();
  }

  /** The run quota of every account. */
  public static RunQuota runQuota(RepriseConfig config) {
    return new RunQuota(quota(config.limits().liveRuns()), quota(config.limits().runsPerMinute()));
  }

  private static int quota(int limit) {
    return limit == LimitsConfig.OFF ? RunQuota.UNLIMITED : limit;
  }

  /** API keys under the configured (or data-dir) server secret and the previous ones. */
  public static ApiKeys apiKeys(RepriseConfig config, Storage storage, Clock clock) {
    return apiKeys(config, storage, clock, secret(config));
  }

  private static ApiKeys apiKeys(
      RepriseConfig config, Storage storage, Clock clock, ServerSecret secret) {
    return new ApiKeys(
        storage.accounts(),
        secret,
        config.previousServerSecrets().stream().map(ServerSecret::of).toList(),
        clock);
  }

  /** The configured server secret, or the data dir's (made on first use). */
  private static ServerSecret secret(RepriseConfig config) {
    return config
        .serverSecret()
        .map(ServerSecret::of)
        .orElseGet(() -> ServerSecret.loadOrCreate(config.dataDir()));
  }

  private static ReaderLimiter readerLimiter(RepriseConfig config, Clock clock) {
    var cluster = config.cluster();
    if (cluster.redisUrl().isEmpty()) {
      return new InMemoryReaderLimiter();
    }
    return RedisReaderLimiter.connect(
        cluster.redisUrl().get(), cluster.redisPrefix(), cluster.nodeId(), clock, READER_LEASE);
  }
}
