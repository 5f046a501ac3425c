package dev.reprise.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
  private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  /** Doubles each item; the first batch waits for {@link #release}. */
  private List<Integer> doubling(List<Integer> items) {
    batches.add(List.copyOf(items));
    if (batches.size() == 1) {
      awaitRelease();
    }
    return items.stream().map(i -> i * 2).toList();
  }

  private void awaitRelease() {
    try {
      assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void a_lone_caller_writes_a_batch_of_one_and_gets_its_outcome() {
    GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(items -> List.of(items.get(0) + 1), 8, 1);

    assertThat(commit.submit(41)).isEqualTo(42);
    assertThat(commit.submit(1)).isEqualTo(2);
  }

  @Test
  void callers_arriving_during_a_batch_are_written_together_in_the_next() throws Exception {
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(this::doubling, 100, 1);
    List<Thread> callers = new ArrayList<>();
    List<Integer> outcomes = new CopyOnWriteArrayList<>();

    callers.add(start(() -> outcomes.add(commit.submit(1))));
    await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
    for (int i = 2; i <= 6; i++) {
      int item = i;
      callers.add(start(() -> outcomes.add(commit.submit(item))));
    }
    awaitParked(callers.subList(1, callers.size()));
    release.countDown();
    joinAll(callers);

    assertThat(batches).hasSize(2);
    assertThat(batches.get(0)).containsExactly(1);
    assertThat(batches.get(1)).containsExactlyInAnyOrder(2, 3, 4, 5, 6);
    assertThat(outcomes).containsExactlyInAnyOrder(2, 4, 6, 8, 10, 12);
  }

  @Test
  void a_batch_holds_at_most_max_batch_items_in_arrival_order() throws Exception {
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(this::doubling, 4, 1);
    List<Thread> callers = new ArrayList<>();
    callers.add(start(() -> commit.submit(0)));
    await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
    for (int i = 1; i <= 10; i++) {
      int item = i;
      Thread caller = start(() -> commit.submit(item));
      callers.add(caller);
      awaitParked(List.of(caller));
    }
    release.countDown();
    joinAll(callers);

    assertThat(batches)
        .containsExactly(List.of(0), List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9, 10));
  }

  @Test
  void a_failed_batch_fails_each_of_its_callers_and_the_next_batch_runs() throws Exception {
    AtomicBoolean fail = new AtomicBoolean(true);
    CountDownLatch inFirst = new CountDownLatch(1);
    GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(
            items -> {
              batches.add(List.copyOf(items));
              if (batches.size() == 1) {
                inFirst.countDown();
                awaitRelease();
              }
              if (fail.getAndSet(false)) {
                throw new StorageException("disk full", null);
              }
              return items;
            },
            8,
            1);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Thread first = start(() -> catching(() -> commit.submit(1), failures));
    assertThat(inFirst.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    first.join(10_000);

    assertThat(failures).singleElement().extracting(Throwable::getMessage).isEqualTo("disk full");
    assertThat(commit.submit(2)).isEqualTo(2);
  }

  @Test
  void an_error_in_a_batch_reaches_every_waiting_caller() throws Exception {
    GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(
            items -> {
              batches.add(List.copyOf(items));
              if (batches.size() == 1) {
                awaitRelease();
                return items;
              }
              throw new StorageException("connection lost", null);
            },
            8,
            1);
    List<Thread> callers = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    callers.add(start(() -> commit.submit(0)));
    await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
    for (int i = 1; i <= 3; i++) {
      int item = i;
      callers.add(start(() -> catching(() -> commit.submit(item), failures)));
    }
    awaitParked(callers.subList(1, callers.size()));
    release.countDown();
    joinAll(callers);

    assertThat(failures).hasSize(3).allSatisfy(e -> assertThat(e).hasMessage("connection lost"));
  }

  @Test
  void an_interrupted_waiter_still_gets_its_outcome_and_keeps_the_interrupt() throws Exception {
    GroupCommit<Integer, Integer> commit = new GroupCommit<>(this::doubling, 8, 1);
    Thread leader = start(() -> commit.submit(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
    List<Object> seen = new CopyOnWriteArrayList<>();
    Thread waiter =
        start(
            () -> {
              seen.add(commit.submit(5));
              seen.add(Thread.currentThread().isInterrupted());
            });
    awaitParked(List.of(waiter));
    waiter.interrupt();
    release.countDown();
    joinAll(List.of(leader, waiter));

    assertThat(seen).containsExactly(10, true);
  }

  @Test
  void an_interrupted_caller_that_leads_writes_with_its_interrupt_cleared_and_gets_it_back()
      throws Exception {
    List<Boolean> interruptedWhileWriting = new CopyOnWriteArrayList<>();
    GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(
            items -> {
              interruptedWhileWriting.add(Thread.currentThread().isInterrupted());
              batches.add(List.copyOf(items));
              if (batches.size() == 1) {
                awaitRelease();
              }
              return items;
            },
            8,
            1);
    Thread leader = start(() -> commit.submit(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
    List<Object> seen = new CopyOnWriteArrayList<>();
    Thread next =
        start(
            () -> {
              seen.add(commit.submit(2));
              seen.add(Thread.currentThread().isInterrupted());
            });
    awaitParked(List.of(next));
    next.interrupt();
    release.countDown();
    joinAll(List.of(leader, next));

    assertThat(batches).containsExactly(List.of(1), List.of(2));
    assertThat(interruptedWhileWriting).containsExactly(false, false);
    assertThat(seen).containsExactly(2, true);
  }

  @Test
  void under_contention_every_item_is_written_exactly_once_with_its_own_outcome() throws Exception {
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(
            items -> {
              written.addAll(items);
              return items.stream().map(i -> -i).toList();
            },
            16,
            3);
    int threads = 16;
    int perThread = 2_000;
    ConcurrentHashMap<Integer, Integer> outcomes = new ConcurrentHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        work.add(
            pool.submit(
                () -> {
                  for (int i = base; i < base + perThread; i++) {
                    outcomes.put(i, commit.submit(i));
                  }
                }));
      }
      for (Future<?> each : work) {
        each.get(60, TimeUnit.SECONDS);
      }
    }

    assertThat(written).hasSize(threads * perThread).doesNotHaveDuplicates();
    assertThat(outcomes).hasSize(threads * perThread);
    outcomes.forEach((item, outcome) -> assertThat(outcome).isEqualTo(-item));
  }

  @Test
  void up_to_max_in_flight_batches_are_written_at_the_same_time() throws Exception {
    CountDownLatch twoInFlight = new CountDownLatch(2);
    GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(
            items -> {
              batches.add(List.copyOf(items));
              twoInFlight.countDown();
              awaitRelease();
              return items;
            },
            8,
            2);
    List<Thread> callers = new ArrayList<>();
    callers.add(start(() -> commit.submit(1)));
    callers.add(start(() -> commit.submit(2)));
    assertThat(twoInFlight.await(10, TimeUnit.SECONDS)).as("two batches in flight").isTrue();
    Thread third = start(() -> commit.submit(3));
    callers.add(third);
    awaitParked(List.of(third));
    release.countDown();
    joinAll(callers);

    assertThat(batches).containsExactlyInAnyOrder(List.of(1), List.of(2), List.of(3));
  }

  @Test
  void max_batch_must_be_positive() {
    assertThatThrownBy(() -> new GroupCommit<Integer, Integer>(List::copyOf, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void catching(Runnable work, List<Throwable> failures) {
    try {
      work.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  private static Thread start(Runnable work) {
    return Thread.ofPlatform().start(work);
  }

  /** Waits until each thread is queued and parked waiting for its item (not for the lock). */
  private static void awaitParked(List<Thread> threads) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> threads.stream().allMatch(GroupCommitTest::waitsForItsItem));
  }

  private static boolean waitsForItsItem(Thread thread) {
    Object blocker = LockSupport.getBlocker(thread);
    return blocker != null && blocker.getClass().getSimpleName().equals("Pending");
  }

  private static void joinAll(List<Thread> threads) throws InterruptedException {
    for (Thread each : threads) {
      each.join(10_000);
      assertThat(each.isAlive()).as("%s finished", each).isFalse();
    }
  }
}
