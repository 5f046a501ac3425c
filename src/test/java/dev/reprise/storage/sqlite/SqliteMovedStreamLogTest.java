package dev.reprise.storage.sqlite;

import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamInfo;
import dev.reprise.stream.StreamLog;
import dev.reprise.stream.StreamLogContract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded log with every chunk moved out of the journal right after its append, so that the
 * contract is checked against {@code stream_chunks} too, not only against the chunks in memory.
 */
class SqliteMovedStreamLogTest extends StreamLogContract {
  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  @Override
  protected StreamLog createStreamLog() {
    SqliteStreamLog log =
        SqliteStreamLog.withManualMoves(sqlite.database(dir), JournalMover.Policy.DEFAULT);
    return new MovingEveryAppend(log);
  }

  private record MovingEveryAppend(SqliteStreamLog log) implements StreamLog {
    @Override
    public void create(String streamId, Instant now) {
      log.create(streamId, now);
    }

    @Override
    public void append(String streamId, LogEntry entry) {
      try {
        log.append(streamId, entry);
      } finally {
        log.moveJournal(true);
      }
    }

    @Override
    public void appendAll(String streamId, List<LogEntry> entries) {
      try {
        log.appendAll(streamId, entries);
      } finally {
        log.moveJournal(true);
      }
    }

    @Override
    public void close(String streamId, Instant now) {
      log.close(streamId, now);
    }

    @Override
    public List<LogEntry> read(String streamId, long fromIndex, int limit) {
      return log.read(streamId, fromIndex, limit);
    }

    @Override
    public Optional<StreamInfo> info(String streamId) {
      return log.info(streamId);
    }

    @Override
    public int deleteClosedBefore(Instant cutoff) {
      return log.deleteClosedBefore(cutoff);
    }

    @Override
    public void delete(String streamId) {
      log.delete(streamId);
    }
  }
}
