package dev.reprise.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.auth.KeyLookupCostTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link KeyLookupCostTest} on PostgreSQL: a key check is about one round trip. */
class PostgresKeyLookupCostTest {
  @RegisterExtension final TempPostgres postgres = new TempPostgres();

  @Test
  void a_key_lookup_on_postgresql_costs_about_one_round_trip() {
    long[] nanos = KeyLookupCostTest.measure(postgres.database(), "PostgreSQL");

    assertThat(nanos[KeyLookupCostTest.MEASURED / 2]).isLessThan(5_000_000L);
  }
}
