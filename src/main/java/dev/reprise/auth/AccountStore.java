package dev.reprise.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Accounts and their API keys. */
public interface AccountStore {

  /** The account with that name, created now if there is none. */
  Account findOrCreate(String name, Instant now);

  Optional<Account> find(String accountId);

  /** The account with exactly that name. */
  Optional<Account> findByName(String name);

  /** Every account, oldest first (for operators). */
  List<Account> list();

  void insertKey(ApiKey key, String keyHash);

  Optional<ApiKey> findKeyByHash(String keyHash);

  /** The key with that id, whoever owns it (for operators). */
  Optional<ApiKey> findKey(String keyId);

  List<ApiKey> keys(String accountId);

  void touchKey(String keyId, Instant at);

  /**
   * Replaces the key's hash, when it was found under a previous server secret and is moved to the
   * current one; false if {@code oldHash} is no longer the key's hash (another node moved it).
   */
  boolean rehashKey(String keyId, String oldHash, String newHash);

  /** Revokes the account's key; false if it has no such key. */
  boolean revokeKey(String accountId, String keyId, Instant at);
}
