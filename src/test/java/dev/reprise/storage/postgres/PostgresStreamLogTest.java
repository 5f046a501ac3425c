package dev.reprise.storage.postgres;

import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.stream.StreamLog;
import dev.reprise.stream.StreamLogContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresStreamLogTest extends StreamLogContract {
  @RegisterExtension final TempPostgres postgres = new TempPostgres();

  @Override
  protected StreamLog createStreamLog() {
    return new SqlStreamLog(postgres.database());
  }
}
