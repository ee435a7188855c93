package io.mintaro.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each thread's current context is visible to other threads, and dead threads are forgotten. */
class ContextStorageTest {

  @Test
  void anotherThreadSeesTheContextCurrentOnALiveThread() throws Exception {
    TraceContext context = new TraceContext("owner", 1, 2, 3, null, (byte) 1);
    CountDownLatch set = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread worker = new Thread(() -> {
      ContextStorage.swap(context);
      set.countDown();
      try {
        done.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    worker.start();
    assertThat(set.await(10, TimeUnit.SECONDS)).isTrue();

    List<TraceContext> seen = new ArrayList<>();
    ContextStorage.forEachCurrent(seen::add);

    assertThat(seen).contains(context);
    done.countDown();
    worker.join(10_000);
  }

  @Test
  void theSlotsOfThreadsThatEndedDoNotPileUp() throws Exception {
    for (int i = 0; i < 2_000; i++) {
      Thread t = new Thread(() -> ContextStorage.swap(null));
      t.start();
      t.join();
      if (i % 500 == 0) {
        System.gc(); // lets the weak references of ended threads clear
      }
    }
    System.gc();
    Thread last = new Thread(() -> {
      for (int i = 0; i < 300; i++) {
        Thread t = new Thread(() -> ContextStorage.swap(null));
        t.start();
        try {
          t.join();
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    last.start();
    last.join();

    assertThat(ContextStorage.listedSlots()).isLessThan(1_000);
  }
}
