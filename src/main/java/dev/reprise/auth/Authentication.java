package dev.reprise.auth;

import dev.reprise.config.JwtConfig;
import java.time.Clock;
import java.util.Optional;

/**
 * Turns a presented credential into the caller: an API key (from {@code x-api-key}, or a bearer
 * token with the key prefix) or a bearer JWT from the identity provider, when one is configured.
 */
public final class Authentication {
  private final ApiKeys keys;
  private final Optional<JwtVerifier> jwt;
  private final AccountStore accounts;
  private final boolean createAccounts;
  private final Clock clock;

  public Authentication(
      ApiKeys keys,
      Optional<JwtVerifier> jwt,
      AccountStore accounts,
      JwtConfig config,
      Clock clock) {
    this.keys = keys;
    this.jwt = jwt;
    this.accounts = accounts;
    this.createAccounts = config.createAccounts();
    this.clock = clock;
  }

  /** A credential as the client sent it. */
  public sealed interface Credential {}

  /** The value of an {@code x-api-key} header. */
  public record ApiKeyHeader(String key) implements Credential {}

  /** The token of an {@code Authorization: Bearer} header: an API key or a JWT. */
  public record BearerToken(String token) implements Credential {}

  /** What authenticating came to. */
  public sealed interface Result {}

  public record Authenticated(Principal principal) implements Result {}

  /** Refused; {@code message} is safe to show the client. */
  public record Refused(String message) implements Result {}

  /** The identity provider's keys cannot be fetched now; the client may retry. */
  public record Unavailable(String message) implements Result {}

  public Result authenticate(Credential credential) {
    return switch (credential) {
      case ApiKeyHeader(String key) -> byKey(key);
      case BearerToken(String token) ->
          token.startsWith(ApiKeys.PREFIX) || jwt.isEmpty() ? byKey(token) : byJwt(token);
    };
  }

  private Result byKey(String key) {
    return keys.authenticate(key)
        .<Result>map(Authenticated::new)
        .orElseGet(() -> new Refused("Unauthorized"));
  }

  private Result byJwt(String token) {
    return switch (jwt.orElseThrow().verify(token)) {
      case JwtVerifier.Verified(String name) -> account(name);
      case JwtVerifier.Invalid invalid -> new Refused("Invalid or expired bearer token");
      case JwtVerifier.KeysUnavailable unavailable ->
          new Unavailable("The identity provider's keys cannot be fetched; retry shortly");
    };
  }

  private Result account(String name) {
    Optional<Account> account =
        createAccounts
            ? Optional.of(accounts.findOrCreate(name, clock.instant()))
            : accounts.findByName(name);
    return account
        .<Result>map(a -> new Authenticated(Principal.ofJwt(a.id())))
        .orElseGet(() -> new Refused("No account for this token"));
  }
}
