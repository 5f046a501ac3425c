package dev.reprise.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.config.SqliteSync;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.stream.LogEntry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Chunks written before the finish flag was stored get it from the migration that adds it. */
class StreamChunkFinishMigrationTest {
  @TempDir Path dir;

  @Test
  void chunks_stored_before_the_flag_existed_are_flagged_only_when_they_are_the_finish_chunk()
      throws Exception {
    Path file = dir.resolve("old.db");
    SQLiteDataSource old = new SQLiteDataSource();
    old.setUrl("jdbc:sqlite:" + file);
    Flyway.configure()
        .dataSource(old)
        .locations("classpath:db/migration")
        .target("3")
        .load()
        .migrate();
    try (Connection c = old.getConnection();
        Statement statement = c.createStatement()) {
      statement.execute("INSERT INTO streams (id, created_at) VALUES ('s', 0)");
      statement.execute(
          """
          INSERT INTO stream_chunks (stream_id, idx, data) VALUES
            ('s', 0, '{"type":"start"}'),
            ('s', 1, '{"type":"finish-step"}'),
            ('s', 2, '{"type":"finish","finishReason":"stop"}')
          """);
    }

    try (SqliteDatabase db = SqliteDatabase.open(file, SqliteSync.NORMAL)) {
      assertThat(new SqlStreamLog(db).read("s", 0, 10))
          .containsExactly(
              new LogEntry(0, "{\"type\":\"start\"}", false),
              new LogEntry(1, "{\"type\":\"finish-step\"}", false),
              new LogEntry(2, "{\"type\":\"finish\",\"finishReason\":\"stop\"}", true));
    }
  }
}
