package dev.reprise.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/** Runs actions on their own threads, released together by one latch, as racing clients do. */
public final class AtOnce {
  private AtOnce() {}

  /** The actions' results, in the order given. */
  public static <T> List<T> run(List<Supplier<T>> actions) {
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<T>> running = new ArrayList<>();
    for (Supplier<T> action : actions) {
      running.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                return action.get();
              }));
    }
    go.countDown();
    return running.stream().map(CompletableFuture::join).toList();
  }
}
