package dev.reprise.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sqlite.TempSqlite;
import dev.reprise.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  private static final ServerSecret SECRET = ServerSecret.of("a".repeat(32));

  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  private final SettableClock clock = SettableClock.at("2025-01-01T00:00:00Z");
  private AccountStore store;
  private ApiKeys keys;

  @BeforeEach
  void openStore() {
    store = new SqlAccountStore(sqlite.database(dir));
    keys = new ApiKeys(store, SECRET, clock);
  }

  private ApiKey stored(ApiKey record) {
    return store.keys(record.accountId()).stream()
        .filter(k -> k.id().equals(record.id()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void a_created_key_has_the_prefix_and_43_base64url_characters() {
    ApiKeys.Issued issued = keys.create("alice", "laptop", null);

    assertThat(issued.key()).matches("rpr_sk_[A-Za-z0-9_-]{43}");
    assertThat(issued.record().prefix()).isEqualTo(issued.key().substring(0, 11));
    assertThat(issued.record().accountId()).isEqualTo(issued.account().id());
    assertThat(issued.account().name()).isEqualTo("alice");
    assertThat(keys.create("alice", "phone", null).key()).isNotEqualTo(issued.key());
  }

  @Test
  void a_created_key_authenticates_as_its_account_and_key() {
    ApiKeys.Issued issued = keys.create("alice", "laptop", null);

    assertThat(keys.authenticate(issued.key()))
        .contains(new Principal(issued.account().id(), issued.record().id()));
  }

  @Test
  void keys_of_the_same_account_name_share_the_account() {
    ApiKeys.Issued first = keys.create("alice", "laptop", null);
    ApiKeys.Issued second = keys.create("alice", "phone", null);

    assertThat(second.account()).isEqualTo(first.account());
  }

  @Test
  void an_unknown_or_malformed_key_authenticates_no_one() {
    ApiKeys.Issued issued = keys.create("alice", "laptop", null);

    assertThat(keys.authenticate("rpr_sk_" + "A".repeat(43))).isEmpty();
    assertThat(keys.authenticate(issued.key() + "x")).isEmpty();
    assertThat(keys.authenticate("")).isEmpty();
    assertThat(keys.authenticate(null)).isEmpty();
    assertThat(keys.authenticate(issued.key() + "x".repeat(300))).isEmpty();
  }

  @Test
  void an_expired_key_authenticates_no_one() {
    Instant expiresAt = clock.instant().plus(Duration.ofHours(1));
    ApiKeys.Issued issued = keys.create("alice", "laptop", expiresAt);
    clock.advance(Duration.ofMinutes(59));
    assertThat(keys.authenticate(issued.key())).isPresent();

    clock.set(expiresAt);

    assertThat(keys.authenticate(issued.key())).isEmpty();
  }

  @Test
  void a_revoked_key_authenticates_no_one() {
    ApiKeys.Issued issued = keys.create("alice", "laptop", null);

    store.revokeKey(issued.account().id(), issued.record().id(), clock.instant());

    assertThat(keys.authenticate(issued.key())).isEmpty();
  }

  @Test
  void the_store_holds_a_hash_of_the_key_not_the_key() {
    ApiKeys.Issued issued = keys.create("alice", "laptop", null);
    String hash = keys.hash(issued.key());

    assertThat(hash).matches("[0-9a-f]{64}").doesNotContain(issued.key().substring(7));
    assertThat(store.findKeyByHash(hash)).contains(issued.record());
    assertThat(store.findKeyByHash(issued.key())).isEmpty();
  }

  @Test
  void two_secrets_give_different_hashes_of_the_same_key() {
    ApiKeys other = new ApiKeys(store, ServerSecret.of("b".repeat(32)), clock);
    ApiKeys.Issued issued = keys.create("alice", "laptop", null);

    assertThat(other.hash(issued.key())).isNotEqualTo(keys.hash(issued.key()));
    assertThat(new ApiKeys(store, SECRET, clock).hash(issued.key()))
        .isEqualTo(keys.hash(issued.key()));
    assertThat(other.authenticate(issued.key())).isEmpty();
  }

  @Test
  void authenticating_records_the_last_use_at_most_once_a_minute() {
    ApiKeys.Issued issued = keys.create("alice", "laptop", null);
    assertThat(stored(issued.record()).lastUsedAt()).isNull();
    Instant firstUse = clock.advance(Duration.ofSeconds(10));

    keys.authenticate(issued.key());
    assertThat(stored(issued.record()).lastUsedAt()).isEqualTo(firstUse);

    clock.advance(Duration.ofSeconds(30));
    keys.authenticate(issued.key());
    assertThat(stored(issued.record()).lastUsedAt()).isEqualTo(firstUse);

    Instant later = clock.advance(Duration.ofSeconds(31));
    keys.authenticate(issued.key());
    assertThat(stored(issued.record()).lastUsedAt()).isEqualTo(later);
  }

  @Test
  void a_key_of_a_previous_secret_still_works_and_moves_to_the_current_one() {
    ServerSecret rotated = ServerSecret.of("c".repeat(32));
    ApiKeys.Issued issued = keys.create("alice", "laptop", null);
    ApiKeys afterRotation = new ApiKeys(store, rotated, List.of(SECRET), clock);

    assertThat(afterRotation.authenticate(issued.key()))
        .contains(new Principal(issued.account().id(), issued.record().id()));

    assertThat(store.findKeyByHash(afterRotation.hash(issued.key()))).isPresent();
    assertThat(store.findKeyByHash(keys.hash(issued.key()))).isEmpty();
    ApiKeys previousDropped = new ApiKeys(store, rotated, clock);
    assertThat(previousDropped.authenticate(issued.key())).isPresent();
  }

  @Test
  void a_key_unused_during_the_grace_period_fails_once_the_previous_secret_is_dropped() {
    ServerSecret rotated = ServerSecret.of("c".repeat(32));
    ApiKeys.Issued unused = keys.create("alice", "laptop", null);

    ApiKeys previousDropped = new ApiKeys(store, rotated, clock);

    assertThat(previousDropped.authenticate(unused.key())).isEmpty();
  }

  @Test
  void revoke_and_list_act_on_the_accounts_own_keys() {
    ApiKeys.Issued alice = keys.create("alice", "laptop", null);
    ApiKeys.Issued bob = keys.create("bob", "phone", null);

    assertThat(keys.revoke(bob.account().id(), alice.record().id())).isFalse();
    assertThat(keys.authenticate(alice.key())).isPresent();
    assertThat(keys.revoke(alice.account().id(), alice.record().id())).isTrue();

    assertThat(keys.authenticate(alice.key())).isEmpty();
    assertThat(keys.list(alice.account().id()))
        .singleElement()
        .satisfies(k -> assertThat(k.revokedAt()).isEqualTo(clock.instant()));
    assertThat(keys.list(bob.account().id()))
        .extracting(ApiKey::id)
        .containsExactly(bob.record().id());
  }
}
