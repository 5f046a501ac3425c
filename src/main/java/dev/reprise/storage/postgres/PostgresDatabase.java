package dev.reprise.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.reprise.storage.Jdbc;
import dev.reprise.storage.StorageException;
import dev.reprise.storage.WriteFaults;
import dev.reprise.storage.sql.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * PostgreSQL through a HikariCP pool. Every write is its own transaction on a pooled connection;
 * the pool re-establishes connections by itself after the database restarts.
 */
public final class PostgresDatabase implements Database {
  private final WriteFaults faults = new WriteFaults();
  private final HikariDataSource pool;

  private PostgresDatabase(HikariDataSource pool) {
    this.pool = pool;
  }

  /**
   * Connects to {@code url} ({@code postgres://…} or a JDBC URL), creating and migrating the
   * schema.
   */
  public static PostgresDatabase open(String url, int poolSize) {
    PostgresUrl parsed = PostgresUrl.parse(url);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(parsed.jdbcUrl());
    parsed.user().ifPresent(config::setUsername);
    parsed.password().ifPresent(config::setPassword);
    config.setPoolName("reprise-postgres");
    config.setMaximumPoolSize(poolSize);
    config.setConnectionTimeout(5_000);
    // why: a node must start (and report itself unready) even while PostgreSQL is still coming up.
    config.setInitializationFailTimeout(-1);
    HikariDataSource pool = new HikariDataSource(config);
    Flyway.configure()
        .dataSource(pool)
        .schemas(parsed.schema())
        .createSchemas(true)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return new PostgresDatabase(pool);
  }

  @Override
  public <T> T read(Function<Connection, T> work) {
    try (Connection connection = pool.getConnection()) {
      return work.apply(connection);
    } catch (SQLException e) {
      throw new StorageException("read failed", e);
    }
  }

  @Override
  public <T> T write(Function<Connection, T> work) {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.apply(connection);
        connection.commit();
        faults.succeeded();
        return result;
      } catch (RuntimeException e) {
        faults.failed(e);
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      faults.failed(e);
      throw new StorageException("write failed", e);
    }
  }

  @Override
  public Optional<String> writeFault() {
    return faults.current();
  }

  @Override
  public boolean isReachable() {
    try (Connection connection = pool.getConnection()) {
      return connection.isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void lockFor(Connection connection, String key) {
    Jdbc.query(connection, "SELECT pg_advisory_xact_lock(hashtext(?))", row -> 1, key);
  }

  @Override
  public int poolSize() {
    return pool.getMaximumPoolSize();
  }

  @Override
  public boolean locksAcrossNodes() {
    return true;
  }

  @Override
  public String skipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public void close() {
    pool.close();
  }
}
