package dev.reprise.auth;

import java.time.Instant;

/** An API key's record. The key itself is never stored: only its HMAC under the server secret. */
public record ApiKey(
    String id,
    String accountId,
    String name,
    String prefix,
    Instant createdAt,
    Instant lastUsedAt,
    Instant expiresAt,
    Instant revokedAt) {

  public boolean usableAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }
}
