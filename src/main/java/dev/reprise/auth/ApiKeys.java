package dev.reprise.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues API keys and resolves a presented key to its account. Keys are looked up by their
 * HMAC-SHA256 under the server secret, so the store never holds a key and a lookup compares no
 * secret byte by byte. Every lookup goes to the store: a revoked or expired key fails on the very
 * next request, on every node.
 */
public final class ApiKeys {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiKeys.class);

  /** Keys start with this, so that secret scanners can recognise them. */
  public static final String PREFIX = "rpr_sk_";

  /** The length of a key: the prefix and 32 random bytes in base64url. */
  public static final int KEY_LENGTH = PREFIX.length() + 43;

  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final AccountStore store;
  private final ServerSecret secret;
  private final List<ServerSecret> previous;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ApiKeys(AccountStore store, ServerSecret secret, Clock clock) {
    this(store, secret, List.of(), clock);
  }

  /**
   * {@code previous} are secrets the current one replaced: keys hashed under them still work, and
   * are moved to the current secret on first use, until the operator drops them.
   */
  public ApiKeys(
      AccountStore store, ServerSecret secret, List<ServerSecret> previous, Clock clock) {
    this.store = store;
    this.secret = secret;
    this.previous = List.copyOf(previous);
    this.clock = clock;
  }

  /** A new key and its record; the key is shown once and never stored. */
  public record Issued(String key, ApiKey record, Account account) {}

  /** A new key for the named account, which is created if needed. */
  public Issued create(String accountName, String keyName, Instant expiresAt) {
    return create(store.findOrCreate(accountName, clock.instant()), keyName, expiresAt);
  }

  /** A new key for an existing account. */
  public Issued create(Account account, String keyName, Instant expiresAt) {
    Instant now = clock.instant();
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
    store.insertKey(record, hash(key, secret));
    return new Issued(key, record, account);
  }

  /** The account's keys, oldest first, revoked and expired ones included. */
  public List<ApiKey> list(String accountId) {
    return store.keys(accountId);
  }

  /** Revokes one of the account's keys; false if the account has no such key. */
  public boolean revoke(String accountId, String keyId) {
    return store.revokeKey(accountId, keyId, clock.instant());
  }

  /** The caller behind {@code key}, when the key is known, not revoked and not expired. */
  public Optional<Principal> authenticate(String key) {
    if (key == null || key.length() != KEY_LENGTH || !key.startsWith(PREFIX)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    // why: the lookup is by HMAC, so timing reveals nothing about stored keys; the HMAC is the
    // comparison.
    String current = hash(key, secret);
    Optional<ApiKey> found = store.findKeyByHash(current);
    for (int i = 0; found.isEmpty() && i < previous.size(); i++) {
      String old = hash(key, previous.get(i));
      found = store.findKeyByHash(old);
      found.ifPresent(k -> store.rehashKey(k.id(), old, current));
    }
    Optional<ApiKey> usable = found.filter(k -> k.usableAt(now));
    usable.ifPresent(
        k -> {
          if (k.lastUsedAt() == null || k.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
            touch(k, now);
          }
        });
    return usable.map(k -> new Principal(k.accountId(), k.id()));
  }

  /** Stamps the key as used; a stamp that cannot be written (a full disk) never fails a request. */
  private void touch(ApiKey key, Instant now) {
    try {
      store.touchKey(key.id(), now);
    } catch (RuntimeException e) {
      LOG.warn("could not record the last use of key {}: {}", key.id(), e.toString());
    }
  }

  String hash(String key) {
    return hash(key, secret);
  }

  private static String hash(String key, ServerSecret secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
