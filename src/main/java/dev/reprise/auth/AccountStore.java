package dev.reprise.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Accounts and their API keys. */
public interface AccountStore {

  /** The account with that name, created now if there is none. */
  Account findOrCreate(String name, Instant now);

  Optional<Account> find(String accountId);

  void insertKey(ApiKey key, String keyHash);

  Optional<ApiKey> findKeyByHash(String keyHash);

  List<ApiKey> keys(String accountId);

  void touchKey(String keyId, Instant at);

  /** Revokes the account's key; false if it has no such key. */
  boolean revokeKey(String accountId, String keyId, Instant at);
}
