package dev.reprise.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.storage.sql.Database;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sqlite.TempSqlite;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What checking an API key costs per request, now that every request looks its key up (so that a
 * revoked key fails at once on every node): one HMAC and one indexed read. Prints the numbers (see
 * docs/security.md) and fails only if they are far off.
 */
public class KeyLookupCostTest {
  private static final int WARM_UP = 500;
  public static final int MEASURED = 3000;

  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  /** Sorted durations of {@link #MEASURED} lookups of one key among 201, after a warm-up. */
  public static long[] measure(Database db, String backend) {
    AccountStore store = new SqlAccountStore(db);
    ApiKeys keys = new ApiKeys(store, ServerSecret.of("s".repeat(32)), Clock.systemUTC());
    for (int i = 0; i < 200; i++) {
      keys.create("account-" + (i % 20), "k", null);
    }
    String key = keys.create("measured", "k", null).key();
    long[] nanos = new long[MEASURED];
    for (int i = 0; i < WARM_UP + MEASURED; i++) {
      long start = System.nanoTime();
      assertThat(keys.authenticate(key)).isPresent();
      if (i >= WARM_UP) {
        nanos[i - WARM_UP] = System.nanoTime() - start;
      }
    }
    Arrays.sort(nanos);
    System.out.printf(
        "key lookup on %s: p50 %d µs, p99 %d µs, max %d µs (%d lookups, 201 keys)%n",
        backend,
        nanos[MEASURED / 2] / 1000,
        nanos[MEASURED * 99 / 100] / 1000,
        nanos[MEASURED - 1] / 1000,
        MEASURED);
    return nanos;
  }

  @Test
  void a_key_lookup_on_sqlite_costs_well_under_a_millisecond() {
    long[] nanos = measure(sqlite.database(dir), "SQLite");

    assertThat(nanos[MEASURED / 2]).isLessThan(2_000_000L);
  }
}
