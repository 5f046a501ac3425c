package dev.reprise.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.auth.Account;
import dev.reprise.chat.Chat;
import dev.reprise.model.ModelRegistry;
import dev.reprise.model.OfflineModel;
import dev.reprise.protocol.Json;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sql.SqlChatStore;
import dev.reprise.storage.sql.SqlRunStore;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.storage.sql.SqlToolWaitStore;
import dev.reprise.storage.sqlite.SqliteDatabase;
import dev.reprise.storage.sqlite.TempSqlite;
import dev.reprise.stream.StreamHub;
import dev.reprise.testing.SettableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The keeper's lease renewal and the runs that this node claims meanwhile. */
class RunServiceLeaseTest {
  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  private final SettableClock clock = SettableClock.at("2025-01-01T00:00:00Z");

  @Test
  void a_run_claimed_while_the_leases_are_being_renewed_is_not_given_up() throws Exception {
    SqliteDatabase db = sqlite.database(dir);
    Account account = new SqlAccountStore(db).findOrCreate("lease", clock.instant());
    Chat chat =
        new Chat(
            UUID.randomUUID().toString(),
            account.id(),
            "t",
            OfflineModel.ID,
            clock.instant(),
            clock.instant());
    new SqlChatStore(db).create(chat);
    RunStore store = new SqlRunStore(db);
    // why: the renewal answers what it renewed when it ran; the claim made before its answer comes
    // back is the in-flight claim of the race.
    AtomicReference<Runnable> duringRenewal = new AtomicReference<>(() -> {});
    RunStore runs =
        (RunStore)
            Proxy.newProxyInstance(
                RunStore.class.getClassLoader(),
                new Class<?>[] {RunStore.class},
                (proxy, method, args) -> {
                  try {
                    Object result = method.invoke(store, args);
                    if (method.getName().equals("renewLeases")) {
                      duringRenewal.getAndSet(() -> {}).run();
                    }
                    return result;
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    RunService service =
        new RunService(
            new RunStores(runs, new SqlChatStore(db), new SqlToolWaitStore(db, new Json())),
            new SqlStreamLog(db),
            new StreamHub(clock, Duration.ofMinutes(1)),
            new ModelRegistry(
                List.of(new OfflineModel(clock, Duration.ofMillis(20))), OfflineModel.ID),
            new Json(),
            clock,
            new Ids(clock),
            new RunSettings(
                "node-a",
                4,
                Duration.ofSeconds(3),
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                new RunQuota(100, 1000),
                Coalescing.ADAPTIVE),
            new RunTelemetry(new SimpleMeterRegistry()));
    Run run = service.newRun(chat.id(), account.id(), OfflineModel.ID, true);
    assertThat(service.start(run, Turn.NONE)).isEqualTo(new Admission.Admitted());
    duringRenewal.set(service::claimAndLaunch);

    service.renewLeases();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.find(run.id()).orElseThrow().status() == RunStatus.COMPLETED);
  }
}
