package dev.reprise.app;

import dev.reprise.approval.ToolWaitStore;
import dev.reprise.auth.AccountStore;
import dev.reprise.chat.ChatStore;
import dev.reprise.config.RepriseConfig;
import dev.reprise.durable.DsCatalog;
import dev.reprise.protocol.Json;
import dev.reprise.run.RunStore;
import dev.reprise.storage.MeteredStreamLog;
import dev.reprise.storage.postgres.PostgresDatabase;
import dev.reprise.storage.redis.RedisStreamFeed;
import dev.reprise.storage.redis.RedisStreamLog;
import dev.reprise.storage.sql.Database;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sql.SqlChatStore;
import dev.reprise.storage.sql.SqlDsCatalog;
import dev.reprise.storage.sql.SqlRunStore;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.storage.sql.SqlToolWaitStore;
import dev.reprise.storage.sqlite.SqliteDatabase;
import dev.reprise.storage.sqlite.SqliteStreamLog;
import dev.reprise.stream.RemoteFeed;
import dev.reprise.stream.StreamLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The storage backends chosen by the configuration, one per port: SQLite for everything by default;
 * PostgreSQL for records with REPRISE_DATABASE_URL; Redis for stream logs with REPRISE_REDIS_URL.
 */
public record Storage(
    String name,
    AccountStore accounts,
    ChatStore chats,
    RunStore runs,
    ToolWaitStore waits,
    DsCatalog durable,
    StreamLog streams,
    Optional<RemoteFeed> feed,
    BooleanSupplier ready,
    Supplier<Optional<String>> writeFault,
    List<AutoCloseable> resources)
    implements AutoCloseable {

  public Storage {
    // why: what storage opened is its own to close; nobody adds to it.
    resources = List.copyOf(resources);
  }

  public static Storage open(RepriseConfig config, Clock clock) {
    return open(config, clock, new SimpleMeterRegistry());
  }

  /**
   * Opens the backends; the stream log's appends and group commits are measured in {@code meters}.
   */
  public static Storage open(RepriseConfig config, Clock clock, MeterRegistry meters) {
    var cluster = config.cluster();
    Database db =
        cluster.databaseUrl().isPresent()
            ? PostgresDatabase.open(cluster.databaseUrl().get(), cluster.databasePoolSize())
            : sqlite(config);
    List<AutoCloseable> resources = new ArrayList<>();
    resources.add(db);
    String records = cluster.databaseUrl().isPresent() ? "postgresql" : "sqlite";
    StreamLogs logs = StreamLogs.open(config, db, clock, resources, records, meters);
    Json json = new Json();
    String name = records + (cluster.redisUrl().isPresent() ? "+redis" : "");
    return new Storage(
        name,
        new SqlAccountStore(db),
        new SqlChatStore(db),
        new SqlRunStore(db, json),
        new SqlToolWaitStore(db, json),
        new SqlDsCatalog(db, json),
        logs.log(),
        logs.feed(),
        () -> db.isReachable() && logs.ready().getAsBoolean(),
        db::writeFault,
        resources);
  }

  private static Database sqlite(RepriseConfig config) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data dir " + config.dataDir(), e);
    }
    return SqliteDatabase.open(config.dataDir().resolve("reprise.db"), config.sqliteSync());
  }

  /** The stream log backend, and the feed that mirrors other nodes' streams (if any). */
  record StreamLogs(StreamLog log, Optional<RemoteFeed> feed, BooleanSupplier ready) {
    static StreamLogs open(
        RepriseConfig config,
        Database db,
        Clock clock,
        List<AutoCloseable> resources,
        String records,
        MeterRegistry meters) {
      var cluster = config.cluster();
      if (cluster.redisUrl().isEmpty()) {
        IntConsumer batchSizes = MeteredStreamLog.batchSizes(records, meters);
        StreamLog log;
        if (db instanceof SqliteDatabase sqlite) {
          SqliteStreamLog journaled = SqliteStreamLog.open(sqlite, batchSizes);
          resources.add(journaled);
          log = journaled;
        } else {
          log = new SqlStreamLog(db, batchSizes);
        }
        return new StreamLogs(
            new MeteredStreamLog(log, records, meters), Optional.empty(), () -> true);
      }
      String url = cluster.redisUrl().get();
      RedisStreamLog log =
          RedisStreamLog.connect(
              url,
              cluster.redisPrefix(),
              config.streamRetention(),
              MeteredStreamLog.batchSizes("redis", meters));
      resources.add(log);
      RedisStreamFeed feed = RedisStreamFeed.start(url, cluster.redisPrefix(), clock, meters);
      resources.add(feed);
      return new StreamLogs(
          new MeteredStreamLog(log, "redis", meters), Optional.of(feed), log::isReachable);
    }
  }

  /** Closes everything, the last opened first. */
  @Override
  public void close() {
    for (AutoCloseable resource : resources.reversed()) {
      try {
        resource.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing storage failed", e);
      }
    }
  }
}
