package dev.reprise.storage.sqlite;

import dev.reprise.stream.StreamLog;
import dev.reprise.stream.StreamLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The embedded log as the server opens it: chunks move out of the journal in the background. */
class SqliteStreamLogTest extends StreamLogContract {
  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();
  private SqliteStreamLog opened;

  @Override
  protected StreamLog createStreamLog() {
    opened = SqliteStreamLog.open(sqlite.database(dir), size -> {});
    return opened;
  }

  @AfterEach
  void closeLog() {
    opened.close();
  }
}
