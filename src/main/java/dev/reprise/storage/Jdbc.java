package dev.reprise.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small JDBC helpers shared by the SQL backends: positional parameters, row mappers, unchecked
 * errors.
 */
public final class Jdbc {
  private Jdbc() {}

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  public static <T> List<T> query(
      Connection connection, String sql, RowMapper<T> mapper, Object... params) {
    try (PreparedStatement statement = prepare(connection, sql, params);
        ResultSet rows = statement.executeQuery()) {
      List<T> result = new ArrayList<>();
      while (rows.next()) {
        result.add(mapper.map(rows));
      }
      return result;
    } catch (SQLException e) {
      throw new StorageException(sql, e);
    }
  }

  public static <T> Optional<T> queryOne(
      Connection connection, String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(connection, sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  public static int update(Connection connection, String sql, Object... params) {
    try (PreparedStatement statement = prepare(connection, sql, params)) {
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException(sql, e);
    }
  }

  /**
   * Runs one statement once per parameter row, prepared once; returns each run's update count, in
   * order.
   */
  public static int[] updateEach(Connection connection, String sql, List<Object[]> rows) {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int[] counts = new int[rows.size()];
      for (int r = 0; r < counts.length; r++) {
        Object[] params = rows.get(r);
        for (int i = 0; i < params.length; i++) {
          statement.setObject(i + 1, params[i]);
        }
        counts[r] = statement.executeUpdate();
      }
      return counts;
    } catch (SQLException e) {
      throw new StorageException(sql, e);
    }
  }

  /** A nullable BIGINT column. */
  public static Long nullableLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  /** A nullable epoch-millis column as an instant. */
  public static Instant instant(ResultSet row, String column) throws SQLException {
    Long millis = nullableLong(row, column);
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  /** An instant as epoch millis, null stays null. */
  public static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... params)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      statement.setObject(i + 1, params[i]);
    }
    return statement;
  }
}
