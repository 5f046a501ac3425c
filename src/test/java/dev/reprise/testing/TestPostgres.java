package dev.reprise.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The machine's PostgreSQL for tests (127.0.0.1:5432, database "test", or REPRISE_TEST_DATABASE_URL
 * as a JDBC URL without a schema). Each caller gets a schema of its own, dropped when it is done.
 */
public final class TestPostgres {
  private static final String BASE =
      System.getenv()
          .getOrDefault(
              "REPRISE_TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private TestPostgres() {}

  /** Skips (or fails, in CI) when PostgreSQL does not answer. */
  public static void require() {
    TestEnvironment.require(reachable(), "PostgreSQL at " + BASE);
  }

  private static boolean reachable() {
    try (Connection c = DriverManager.getConnection(BASE)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** A new schema name; the JDBC URL for it is {@link #url(String)}. */
  public static String newSchema() {
    return "reprise_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  public static String url(String schema) {
    return BASE + (BASE.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  public static void dropSchema(String schema) {
    try (Connection c = DriverManager.getConnection(BASE);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop schema " + schema, e);
    }
  }
}
