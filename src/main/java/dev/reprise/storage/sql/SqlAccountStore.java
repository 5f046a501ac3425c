package dev.reprise.storage.sql;

import static dev.reprise.storage.Jdbc.instant;
import static dev.reprise.storage.Jdbc.millis;
import static dev.reprise.storage.Jdbc.query;
import static dev.reprise.storage.Jdbc.queryOne;
import static dev.reprise.storage.Jdbc.update;

import dev.reprise.auth.Account;
import dev.reprise.auth.AccountStore;
import dev.reprise.auth.ApiKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Accounts and API keys in SQL (SQLite and PostgreSQL). */
public final class SqlAccountStore implements AccountStore {
  private static final String KEY_COLUMNS =
      "id, account_id, name, prefix, created_at, last_used_at, expires_at, revoked_at";

  private final Database db;

  public SqlAccountStore(Database db) {
    this.db = db;
  }

  @Override
  public Account findOrCreate(String name, Instant now) {
    return db.write(
        c -> {
          update(
              c,
              "INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
              UUID.randomUUID().toString(),
              name,
              now.toEpochMilli());
          return queryOne(
                  c,
                  "SELECT id, name, created_at FROM accounts WHERE name = ?",
                  SqlAccountStore::account,
                  name)
              .orElseThrow();
        });
  }

  @Override
  public Optional<Account> find(String accountId) {
    return db.read(
        c ->
            queryOne(
                c,
                "SELECT id, name, created_at FROM accounts WHERE id = ?",
                SqlAccountStore::account,
                accountId));
  }

  @Override
  public Optional<Account> findByName(String name) {
    return db.read(
        c ->
            queryOne(
                c,
                "SELECT id, name, created_at FROM accounts WHERE name = ?",
                SqlAccountStore::account,
                name));
  }

  @Override
  public List<Account> list() {
    return db.read(
        c ->
            query(
                c,
                "SELECT id, name, created_at FROM accounts ORDER BY created_at, name",
                SqlAccountStore::account));
  }

  @Override
  public void insertKey(ApiKey key, String keyHash) {
    db.write(
        c ->
            update(
                c,
                "INSERT INTO api_keys ("
                    + KEY_COLUMNS
                    + ", key_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                key.id(),
                key.accountId(),
                key.name(),
                key.prefix(),
                key.createdAt().toEpochMilli(),
                millis(key.lastUsedAt()),
                millis(key.expiresAt()),
                millis(key.revokedAt()),
                keyHash));
  }

  @Override
  public Optional<ApiKey> findKeyByHash(String keyHash) {
    return db.read(
        c ->
            queryOne(
                c,
                "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_hash = ?",
                SqlAccountStore::key,
                keyHash));
  }

  @Override
  public Optional<ApiKey> findKey(String keyId) {
    return db.read(
        c ->
            queryOne(
                c,
                "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE id = ?",
                SqlAccountStore::key,
                keyId));
  }

  @Override
  public List<ApiKey> keys(String accountId) {
    return db.read(
        c ->
            query(
                c,
                "SELECT "
                    + KEY_COLUMNS
                    + " FROM api_keys WHERE account_id = ? ORDER BY created_at, id",
                SqlAccountStore::key,
                accountId));
  }

  @Override
  public void touchKey(String keyId, Instant at) {
    db.write(
        c ->
            update(
                c, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", at.toEpochMilli(), keyId));
  }

  @Override
  public boolean rehashKey(String keyId, String oldHash, String newHash) {
    return db.write(
            c ->
                update(
                    c,
                    "UPDATE api_keys SET key_hash = ? WHERE id = ? AND key_hash = ?",
                    newHash,
                    keyId,
                    oldHash))
        == 1;
  }

  @Override
  public boolean revokeKey(String accountId, String keyId, Instant at) {
    return db.write(
            c ->
                update(
                    c,
                    "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND account_id = ?",
                    at.toEpochMilli(),
                    keyId,
                    accountId))
        == 1;
  }

  private static Account account(ResultSet row) throws SQLException {
    return new Account(
        row.getString("id"),
        row.getString("name"),
        Instant.ofEpochMilli(row.getLong("created_at")));
  }

  private static ApiKey key(ResultSet row) throws SQLException {
    return new ApiKey(
        row.getString("id"),
        row.getString("account_id"),
        row.getString("name"),
        row.getString("prefix"),
        instant(row, "created_at"),
        instant(row, "last_used_at"),
        instant(row, "expires_at"),
        instant(row, "revoked_at"));
  }
}
