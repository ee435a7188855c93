package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tasks run in the trace of the thread that submitted them, and leave their worker thread clean. */
@SuppressWarnings("try") // spans opened only for the context they make current
class ContextPropagationTest {
  private final MintaroSdk sdk = TestSdks.local();
  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final ExecutorService wrapped = Mintaro.wrap(pool);

  @AfterEach
  void cleanUp() throws InterruptedException {
    TestSdks.clearContext();
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
    sdk.close();
  }

  @Test
  void aSubmittedTaskRunsInTheSubmittersTrace() throws Exception {
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      assertThat(wrapped.submit(Mintaro::traceId).get()).isEqualTo(root.traceId());
      assertThat(wrapped.submit(() -> Core.current()).get()).isSameAs(root.context());
    }
  }

  @Test
  void theWorkerThreadIsCleanAfterTheTask() throws Exception {
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      wrapped.submit(() -> { }).get();
      wrapped.execute(() -> { });
    }

    assertThat(pool.submit(Mintaro::traceId).get()).as("the same worker, unwrapped").isNull();
  }

  @Test
  void theWorkerThreadIsCleanEvenWhenTheTaskThrows() throws Exception {
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      Future<?> failed = wrapped.submit(() -> {
        throw new IllegalStateException("boom");
      });
      assertThat(failed).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class);
    }

    assertThat(pool.submit(Mintaro::traceId).get()).isNull();
  }

  @Test
  void aTaskSubmittedOutsideAnyTraceRunsOutsideAnyTrace() throws Exception {
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      wrapped.submit(() -> { }).get();
    }

    assertThat(wrapped.submit(Mintaro::traceId).get()).isNull();
  }

  @Test
  void spansStartedInATaskAreChildrenOfTheSubmittersSpan() throws Exception {
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      String childTrace = wrapped.submit(() -> {
        try (Span child = Mintaro.startSpan("in-task")) {
          return child.traceId();
        }
      }).get();
      assertThat(childTrace).isEqualTo(root.traceId());
    }
  }

  @Test
  void invokeAllCarriesTheTraceIntoEveryTask() throws Exception {
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      List<Callable<String>> tasks = List.of(Mintaro::traceId, Mintaro::traceId, Mintaro::traceId);
      for (Future<String> f : wrapped.invokeAll(tasks)) {
        assertThat(f.get()).isEqualTo(root.traceId());
      }
      assertThat(wrapped.invokeAny(tasks)).isEqualTo(root.traceId());
    }
  }

  @Test
  void wrappingTwiceDoesNotWrapAgain() {
    assertThat(Mintaro.wrap(wrapped)).isSameAs(wrapped);
    assertThat(Mintaro.wrap((Executor) wrapped)).isSameAs(wrapped);
  }

  @Test
  void plainExecutorsAndSingleTasksCanBeWrappedToo() throws Exception {
    Executor direct = Runnable::run;
    Executor onPool = Mintaro.wrap((Executor) (Runnable r) -> pool.execute(r));
    String[] seen = new String[3];
    String traceId;
    Runnable boundRunnable;
    Callable<String> boundCallable;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      boundRunnable = Mintaro.wrap((Runnable) () -> seen[0] = Mintaro.traceId());
      boundCallable = Mintaro.wrap((Callable<String>) Mintaro::traceId);
      Future<?> done = pool.submit(() -> { });
      onPool.execute(() -> seen[2] = Mintaro.traceId());
      done.get();
      Mintaro.wrap(direct).execute(() -> seen[1] = Mintaro.traceId());
    }
    pool.submit(() -> { }).get(); // waits for the task run through onPool

    boundRunnable.run(); // later, on this thread, outside the trace
    assertThat(seen).containsExactly(traceId, traceId, traceId);
    assertThat(boundCallable.call()).isEqualTo(traceId);
    assertThat(Mintaro.traceId()).as("the bound task restored this thread").isNull();
  }
}
