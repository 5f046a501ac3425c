package dev.reprise.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.storage.sqlite.TempSqlite;
import dev.reprise.stream.LiveStream;
import dev.reprise.stream.StreamHub;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The node's mirrors of Durable Streams: made for readers, dropped when no reader comes. */
class DsLogsTest {
  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  @Test
  void a_mirror_no_reader_came_for_is_dropped_and_a_later_reader_starts_one_at_the_tail() {
    StreamHub hub = new StreamHub(Clock.systemUTC(), Duration.ofMinutes(1));
    DsLogs logs = new DsLogs(new SqlStreamLog(sqlite.database(dir)), hub, Clock.systemUTC());
    logs.create("ds-1");
    LiveStream first = logs.mirror("ds-1", 0);
    logs.append("ds-1", DsContent.entry(new byte[] {1}));
    assertThat(first.next()).isEqualTo(1);

    assertThat(logs.evictIdleMirrors(Duration.ofMinutes(5))).isZero();
    assertThat(hub.find("ds-1")).containsSame(first);
    assertThat(logs.evictIdleMirrors(Duration.ZERO)).isEqualTo(1);
    assertThat(hub.find("ds-1")).isEmpty();

    logs.append("ds-1", DsContent.entry(new byte[] {2}));
    LiveStream second = logs.mirror("ds-1", 0);
    assertThat(second).isNotSameAs(first);
    assertThat(second.base()).isEqualTo(2);
    assertThat(logs.read("ds-1", 0, 10)).hasSize(2);
  }
}
