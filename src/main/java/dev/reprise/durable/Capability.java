package dev.reprise.durable;

import java.time.Instant;
import java.util.Locale;

/**
 * What a capability URL lets its holder do, for whom and until when.
 *
 * @param runId for a chat run's stream: the one run it reads; null for the account's streams
 */
public record Capability(String accountId, Scope scope, Instant expiresAt, String runId) {

  /** Each scope allows what the ones before it do. */
  public enum Scope {
    /** Reads (catch-up, long-poll, SSE) and HEAD. */
    READ,
    /** Also appends and closes. */
    APPEND,
    /** Also creates, forks and deletes. */
    MANAGE;

    public boolean allows(Scope needed) {
      return compareTo(needed) >= 0;
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code text} ({@code read}, {@code append}, {@code manage}). */
    public static Scope parse(String text) {
      for (Scope scope : values()) {
        if (scope.wire().equals(text)) {
          return scope;
        }
      }
      throw new IllegalArgumentException("no scope " + text);
    }
  }
}
