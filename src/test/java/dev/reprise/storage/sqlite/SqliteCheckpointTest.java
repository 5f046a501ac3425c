package dev.reprise.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.config.SqliteSync;
import dev.reprise.storage.Jdbc;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.stream.LogEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCheckpointTest {
  @TempDir Path dir;

  @Test
  void
      the_log_is_checkpointed_in_the_background_and_commits_no_longer_do_it_below_the_safety_net() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("c.db"), SqliteSync.NORMAL)) {
      SqlStreamLog log = new SqlStreamLog(db);
      log.create("s", Instant.EPOCH);
      for (int i = 0; i < 50; i++) {
        log.append("s", new LogEntry(i, "chunk " + i, false));
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpointedFrames() > 0);
      int autoCheckpoint =
          db.write(
              c -> Jdbc.query(c, "PRAGMA wal_autocheckpoint", row -> row.getInt(1)).getFirst());
      assertThat(autoCheckpoint).isEqualTo(SqliteCheckpointer.SAFETY_NET_PAGES);
      assertThat(log.read("s", 0, 100)).hasSize(50);
    }
  }
}
