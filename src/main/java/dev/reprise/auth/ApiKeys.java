package dev.reprise.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Issues API keys and resolves a presented key to its account. */
public final class ApiKeys {
  /** Keys start with this, so that secret scanners can recognise them. */
  public static final String PREFIX = "rpr_sk_";

  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final AccountStore store;
  private final ServerSecret secret;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ApiKeys(AccountStore store, ServerSecret secret, Clock clock) {
    this.store = store;
    this.secret = secret;
    this.clock = clock;
  }

  /** A new key and its record; the key is shown once and never stored. */
  public record Issued(String key, ApiKey record, Account account) {}

  public Issued create(String accountName, String keyName, Instant expiresAt) {
    Instant now = clock.instant();
    Account account = store.findOrCreate(accountName, now);
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    ApiKey record =
        new ApiKey(
            UUID.randomUUID().toString(),
            account.id(),
            keyName,
            key.substring(0, PREFIX.length() + 4),
            now,
            null,
            expiresAt,
            null);
    store.insertKey(record, hash(key));
    return new Issued(key, record, account);
  }

  /** The caller behind {@code key}, when the key is known, not revoked and not expired. */
  public Optional<Principal> authenticate(String key) {
    if (key == null || key.isEmpty() || key.length() > 256) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    // why: the lookup is by HMAC, so timing reveals nothing about stored keys; the HMAC is the
    // comparison.
    Optional<ApiKey> found = store.findKeyByHash(hash(key)).filter(k -> k.usableAt(now));
    found.ifPresent(
        k -> {
          if (k.lastUsedAt() == null || k.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
            store.touchKey(k.id(), now);
          }
        });
    return found.map(k -> new Principal(k.accountId(), k.id()));
  }

  String hash(String key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
