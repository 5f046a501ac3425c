package dev.reprise.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.auth.Account;
import dev.reprise.auth.AccountStore;
import dev.reprise.auth.ApiKey;
import dev.reprise.auth.ApiKeys;
import dev.reprise.auth.Principal;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The caller's own API keys: create one (shown once), list them, revoke one. */
final class KeysRoutes implements HttpService {
  static final int MAX_ACTIVE_KEYS = 100;
  private static final int MAX_NAME_LENGTH = 100;
  private static final Duration MAX_LIFETIME = Duration.ofDays(3660);

  private final Authenticator auth;
  private final HttpJson http;
  private final ApiKeys keys;
  private final AccountStore accounts;
  private final Clock clock;

  KeysRoutes(Authenticator auth, HttpJson http, ApiKeys keys, AccountStore accounts, Clock clock) {
    this.auth = auth;
    this.http = http;
    this.keys = keys;
    this.accounts = accounts;
    this.clock = clock;
  }

  /** A key as listed: never the key, never its hash. */
  record KeyInfo(
      String id,
      String name,
      String prefix,
      String status,
      Instant createdAt,
      Instant lastUsedAt,
      Instant expiresAt,
      Instant revokedAt) {

    static KeyInfo of(ApiKey key, Instant now) {
      String status =
          key.revokedAt() != null ? "revoked" : key.usableAt(now) ? "active" : "expired";
      return new KeyInfo(
          key.id(),
          key.name(),
          key.prefix(),
          status,
          key.createdAt(),
          key.lastUsedAt(),
          key.expiresAt(),
          key.revokedAt());
    }
  }

  record KeyList(List<KeyInfo> keys) {}

  /** The 201 body of POST /api/keys: the only time the key itself is shown. */
  record CreatedKey(
      String id, String name, String prefix, Instant createdAt, Instant expiresAt, String key) {}

  @Override
  public void routing(HttpRules rules) {
    rules
        .post("/api/keys", this::create)
        .get("/api/keys", this::list)
        .head("/api/keys", this::list)
        .delete("/api/keys/{keyId}", this::revoke);
  }

  private void create(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    ObjectNode body = http.readObjectOrEmpty(req);
    String name = name(body);
    Instant now = clock.instant();
    Instant expiresAt = expiresAt(body, now);
    Account account =
        accounts
            .find(caller.accountId())
            .orElseThrow(() -> ApiException.unauthorized("Unauthorized"));
    long active = keys.list(account.id()).stream().filter(k -> k.usableAt(now)).count();
    if (active >= MAX_ACTIVE_KEYS) {
      throw ApiException.conflict(
          "This account already has " + MAX_ACTIVE_KEYS + " active keys; revoke one first");
    }
    ApiKeys.Issued issued = keys.create(account, name, expiresAt);
    ApiKey record = issued.record();
    res.header("Cache-Control", "no-store");
    http.send(
        res,
        201,
        new CreatedKey(
            record.id(),
            record.name(),
            record.prefix(),
            record.createdAt(),
            record.expiresAt(),
            issued.key()));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    Instant now = clock.instant();
    http.send(
        res,
        200,
        new KeyList(keys.list(caller.accountId()).stream().map(k -> KeyInfo.of(k, now)).toList()));
  }

  private void revoke(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    String keyId = req.path().pathParameters().get("keyId");
    if (!Params.isUuid(keyId)) {
      throw ApiException.badRequest("keyId must be a UUID", "keyId");
    }
    // why: another account's key is reported as unknown, so that key ids reveal nothing.
    if (!keys.revoke(caller.accountId(), keyId.toLowerCase(java.util.Locale.ROOT))) {
      throw ApiException.notFound("Key not found");
    }
    http.send(res, 200, Map.of("success", true));
  }

  private static String name(ObjectNode body) {
    Optional<String> name = Params.optionalString(body, "name").map(String::strip);
    if (name.isEmpty()) {
      return "api";
    }
    String value = name.get();
    if (value.isEmpty()
        || value.length() > MAX_NAME_LENGTH
        || value.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.badRequest(
          "name must be 1 to " + MAX_NAME_LENGTH + " characters without control characters",
          "name");
    }
    return value;
  }

  /** {@code expiresAt} (an instant) or {@code expiresIn} (an ISO-8601 duration), not both. */
  private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

  private static Instant expiresAt(ObjectNode body, Instant now) {
    Optional<String> at = Params.optionalString(body, "expiresAt");
    Optional<String> in = Params.optionalString(body, "expiresIn");
    if (at.isPresent() && in.isPresent()) {
      throw ApiException.badRequest(
          "Give at most one of expiresAt and expiresIn", "expiresAt", "expiresIn");
    }
    Instant expiresAt;
    String field;
    try {
      if (at.isPresent()) {
        field = "expiresAt";
        expiresAt = Instant.parse(at.get().strip());
      } else if (in.isPresent()) {
        field = "expiresIn";
        Duration lifetime = Duration.parse(in.get().strip());
        if (lifetime.compareTo(MAX_LIFETIME) > 0) {
          throw ApiException.badRequest("expiresIn must be at most 10 years", "expiresIn");
        }
        expiresAt = now.plus(lifetime);
      } else {
        return null;
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      throw at.isPresent()
          ? ApiException.badRequest(
              "expiresAt must be an ISO-8601 instant such as 2030-01-01T00:00:00Z", "expiresAt")
          : ApiException.badRequest(
              "expiresIn must be an ISO-8601 duration such as P30D or PT12H", "expiresIn");
    }
    if (!expiresAt.isAfter(now)) {
      throw ApiException.badRequest(field + " must be in the future", field);
    }
    // why: an instant such as +999999999-12-31 parses, but overflows epoch milliseconds in storage.
    if (expiresAt.isAfter(LATEST_EXPIRY)) {
      throw ApiException.badRequest(field + " must be before the year 10000", field);
    }
    return expiresAt;
  }
}
