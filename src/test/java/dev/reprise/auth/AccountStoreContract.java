package dev.reprise.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AccountStore} backend must do. A backend's test extends this class and only
 * says how to create an empty store; it cleans up after itself.
 */
public abstract class AccountStoreContract {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  protected AccountStore accounts;

  /** An account store with no accounts in it, for one test. */
  protected abstract AccountStore createAccountStore();

  @BeforeEach
  void createStore() {
    accounts = createAccountStore();
  }

  private ApiKey insertKey(Account owner, String hash, Instant createdAt) {
    ApiKey key =
        new ApiKey(
            UUID.randomUUID().toString(),
            owner.id(),
            "key " + hash,
            "rpr_sk_abcd",
            createdAt,
            null,
            createdAt.plusSeconds(3600),
            null);
    accounts.insertKey(key, hash);
    return key;
  }

  private ApiKey reload(ApiKey key) {
    return accounts.keys(key.accountId()).stream()
        .filter(k -> k.id().equals(key.id()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void find_or_create_returns_the_same_account_for_the_same_name() {
    Account first = accounts.findOrCreate("alice", T0);
    Account again = accounts.findOrCreate("alice", T0.plusSeconds(60));
    Account bob = accounts.findOrCreate("bob", T0);

    assertThat(again).isEqualTo(first);
    assertThat(first.name()).isEqualTo("alice");
    assertThat(first.createdAt()).isEqualTo(T0);
    assertThat(bob.id()).isNotEqualTo(first.id());
    assertThat(accounts.find(first.id())).contains(first);
    assertThat(accounts.find("no-such-account")).isEmpty();
  }

  @Test
  void a_key_is_found_by_its_hash_and_by_nothing_else() {
    Account alice = accounts.findOrCreate("alice", T0);
    ApiKey key = insertKey(alice, "hash-1", T0);

    assertThat(accounts.findKeyByHash("hash-1")).contains(key);
    assertThat(accounts.findKeyByHash("hash-2")).isEmpty();
    assertThat(accounts.findKeyByHash(key.id())).isEmpty();
  }

  @Test
  void keys_lists_the_accounts_keys_only() {
    Account alice = accounts.findOrCreate("alice", T0);
    Account bob = accounts.findOrCreate("bob", T0);
    ApiKey first = insertKey(alice, "hash-1", T0);
    ApiKey second = insertKey(alice, "hash-2", T0.plusSeconds(1));
    ApiKey bobs = insertKey(bob, "hash-3", T0);

    assertThat(accounts.keys(alice.id())).containsExactlyInAnyOrder(first, second);
    assertThat(accounts.keys(bob.id())).containsExactly(bobs);
    assertThat(accounts.keys("no-such-account")).isEmpty();
  }

  @Test
  void touch_key_records_when_the_key_was_last_used() {
    Account alice = accounts.findOrCreate("alice", T0);
    ApiKey key = insertKey(alice, "hash-1", T0);
    ApiKey other = insertKey(alice, "hash-2", T0);

    accounts.touchKey(key.id(), T0.plusSeconds(90));

    assertThat(reload(key).lastUsedAt()).isEqualTo(T0.plusSeconds(90));
    assertThat(reload(other).lastUsedAt()).isNull();
  }

  @Test
  void revoke_key_revokes_a_key_of_the_account_only() {
    Account alice = accounts.findOrCreate("alice", T0);
    Account bob = accounts.findOrCreate("bob", T0);
    ApiKey key = insertKey(alice, "hash-1", T0);
    Instant revokedAt = T0.plusSeconds(120);

    assertThat(accounts.revokeKey(bob.id(), key.id(), revokedAt)).isFalse();
    assertThat(reload(key).revokedAt()).isNull();
    assertThat(accounts.revokeKey(alice.id(), "no-such-key", revokedAt)).isFalse();

    assertThat(accounts.revokeKey(alice.id(), key.id(), revokedAt)).isTrue();
    assertThat(reload(key).revokedAt()).isEqualTo(revokedAt);
    assertThat(accounts.findKeyByHash("hash-1").orElseThrow().usableAt(revokedAt)).isFalse();
  }

  @Test
  void find_by_name_and_list_see_every_account_by_exact_name() {
    Account alice = accounts.findOrCreate("alice", T0);
    Account bob = accounts.findOrCreate("bob@example.com", T0.plusSeconds(1));

    assertThat(accounts.findByName("alice")).contains(alice);
    assertThat(accounts.findByName("bob@example.com")).contains(bob);
    assertThat(accounts.findByName("Alice")).isEmpty();
    assertThat(accounts.findByName("alice ")).isEmpty();
    assertThat(accounts.list()).containsExactly(alice, bob);
  }

  @Test
  void find_key_finds_any_accounts_key_by_id() {
    Account alice = accounts.findOrCreate("alice", T0);
    ApiKey key = insertKey(alice, "hash-1", T0);

    assertThat(accounts.findKey(key.id())).contains(key);
    assertThat(accounts.findKey("no-such-key")).isEmpty();
    assertThat(accounts.findKey("hash-1")).isEmpty();
  }

  @Test
  void rehash_key_moves_a_key_to_a_new_hash_once() {
    Account alice = accounts.findOrCreate("alice", T0);
    ApiKey key = insertKey(alice, "old-hash", T0);

    assertThat(accounts.rehashKey(key.id(), "old-hash", "new-hash")).isTrue();
    assertThat(accounts.rehashKey(key.id(), "old-hash", "other-hash")).isFalse();

    assertThat(accounts.findKeyByHash("new-hash")).contains(key);
    assertThat(accounts.findKeyByHash("old-hash")).isEmpty();
    assertThat(accounts.findKeyByHash("other-hash")).isEmpty();
  }
}
