package dev.reprise.storage.sqlite;

import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.stream.StreamLog;
import dev.reprise.stream.StreamLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SqliteStreamLogTest extends StreamLogContract {
  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  @Override
  protected StreamLog createStreamLog() {
    return new SqlStreamLog(sqlite.database(dir));
  }
}
