package io.mintaro;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import io.mintaro.internal.context.Ids;
import io.mintaro.internal.recorder.RecordReader;
import io.mintaro.internal.recorder.RecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A span made current writes one record, when it ends. Only when its trace is collected while it
 * is still open does it also get a start record, so that the collected trace shows it running.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class OpenSpansTest extends LocalSdkTest {
  @Test
  void aSpanThatEndsBeforeItsTraceIsCollectedWritesOnlyItsEndRecord() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root");
        Span child = Mintaro.startSpan("child")) {
      traceId = root.traceId();
    }

    assertThat(recordTypes(traceId)).containsExactly(RecordType.SPAN_END, RecordType.SPAN_END);
  }

  @Test
  void aClientSpanThatIsNotMadeCurrentWritesItsStartAtOnce() {
    Core core = Core.of(sdk);
    RecordingSpan call = core.startSpan("GET /price", Core.KIND_CLIENT, null, 0, null, false);

    assertThat(recordTypes(call.traceId())).containsExactly(RecordType.SPAN_START);
    call.close();
    assertThat(recordTypes(call.traceId())).containsExactly(RecordType.SPAN_END, RecordType.SPAN_START);
  }

  @Test
  void spansOpenOnAnotherThreadAreCollectedAsStartedAndLaterAsFinished() throws Exception {
    CountDownLatch open = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicReference<String> traceId = new AtomicReference<>();
    Thread worker = new Thread(() -> {
      try (RecordingSpan root = TestSdks.root(sdk, "handle request")) {
        traceId.set(root.traceId());
        try (Span done = Mintaro.startSpan("parse")) {
          done.attribute("ok", true);
        }
        try (Span hung = Mintaro.startSpan("wait for lock")) {
          open.countDown();
          finish.await(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    worker.start();
    assertThat(open.await(10, TimeUnit.SECONDS)).isTrue();

    Map<String, Object> whileOpen = RingDump.trace(sdk, traceId.get());

    assertThat(span(whileOpen, "handle request")).containsEntry("status", "started");
    assertThat(span(whileOpen, "wait for lock")).containsEntry("status", "started")
        .containsEntry("parentSpanId", span(whileOpen, "handle request").get("spanId"));
    assertThat(span(whileOpen, "parse")).containsEntry("status", "succeeded");
    finish.countDown();
    worker.join(10_000);
    Map<String, Object> afterwards = RingDump.trace(sdk, traceId.get());
    assertThat(list(afterwards, "spans")).hasSize(3)
        .allSatisfy(s -> assertThat(s).containsEntry("status", "succeeded"));
  }

  @Test
  void aSpanCurrentOnlyInAWrappedTaskIsFoundThroughThatTask() throws Exception {
    ExecutorService pool = Mintaro.wrap(Executors.newSingleThreadExecutor());
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "fan out")) {
      traceId = root.traceId();
      pool.submit(() -> {
        try (Span task = Mintaro.startSpan("background task")) {
          running.countDown();
          finish.await(10, TimeUnit.SECONDS);
        }
        return null;
      });
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    }

    Map<String, Object> trace = RingDump.trace(sdk, traceId);

    assertThat(span(trace, "fan out")).containsEntry("status", "succeeded");
    assertThat(span(trace, "background task")).containsEntry("status", "started");
    finish.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anOpenSpanGetsOneStartRecordHoweverOftenItsTraceIsCollected() {
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      for (int i = 0; i < 5; i++) {
        RingDump.trace(sdk, root.traceId());
      }
      assertThat(recordTypes(root.traceId())).containsExactly(RecordType.SPAN_START);
    }
  }

  @Test
  void anotherSdksOpenSpansAndOtherTracesAreLeftAlone() {
    try (MintaroSdk other = TestSdks.local();
        RecordingSpan mine = TestSdks.root(sdk, "mine");
        RecordingSpan theirs = TestSdks.root(other, "theirs")) {
      RingDump.trace(sdk, theirs.traceId());
      RingDump.trace(other, mine.traceId());

      assertThat(recordTypes(mine.traceId())).isEmpty();
      assertThat(RingDump.trace(other, theirs.traceId()).toString()).contains("theirs");
    }
  }

  @Test
  void collectingWhileManyThreadsOpenAndCloseSpansNeverFailsAndSeesOnlyWholeSpans() throws Exception {
    int threads = 4;
    AtomicBoolean stop = new AtomicBoolean();
    List<String> traceIds = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      RecordingSpan root = Core.of(sdk).startSpan("root " + t, Core.KIND_SERVER, null, 0, null, false);
      traceIds.add(root.traceId());
      Thread worker = new Thread(() -> {
        Core core = Core.of(sdk);
        while (!stop.get()) {
          try (RecordingSpan outer = core.startSpan("outer", Core.KIND_INTERNAL, root.context(), 0, null, true);
              Span inner = Mintaro.startSpan("inner")) {
            inner.attribute("n", 1);
          }
        }
      });
      workers.add(worker);
      worker.start();
    }
    Core core = Core.of(sdk);
    try {
      for (int round = 0; round < 300; round++) {
        String traceId = traceIds.get(round % threads);
        assertThatCode(() -> core.recordOpenSpans(Ids.parseHex16(traceId, 0), Ids.parseHex16(traceId, 16)))
            .doesNotThrowAnyException();
      }
      for (String traceId : traceIds) {
        assertThat(list(RingDump.trace(sdk, traceId), "spans")).isNotEmpty()
            .allSatisfy(s -> assertThat(s.get("status")).isIn("started", "succeeded"))
            .allSatisfy(s -> assertThat(s.get("name")).isIn("root 0", "root 1", "root 2", "root 3", "outer", "inner"));
      }
    } finally {
      stop.set(true);
      for (Thread worker : workers) {
        worker.join(10_000);
      }
    }
  }

  private List<Byte> recordTypes(String traceId) {
    List<Byte> types = new ArrayList<>();
    for (byte[] record : Core.of(sdk).recorder().read(Ids.parseHex16(traceId, 0), Ids.parseHex16(traceId, 16), 0)) {
      types.add(new RecordReader(record).type());
    }
    return types;
  }
}
