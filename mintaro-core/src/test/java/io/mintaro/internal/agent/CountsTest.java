package io.mintaro.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.json.JsonWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Counted triggers wait by local group, keep their ids while there is room, and survive a failed batch. */
class CountsTest {
  private final AtomicLong lost = new AtomicLong();
  private final Counts counts = new Counts(lost);

  @Test
  void countsGoOutByLocalGroupWithTheirTraceIdsAndTheNewestTime() {
    counts.add(1, 2, "error", "GET /price", "HTTP 500", 1_000);
    counts.add(1, 3, "error", "GET /price", "HTTP 500", 1_500);
    counts.add(1, 4, "slow", "GET /item", "slow", 1_200);

    Counts.Drained d = counts.drain();

    assertThat(Counts.occurrences(d)).isEqualTo(3);
    assertThat(json(d)).isEqualTo("{\"counted\":["
        + "{\"kind\":\"error\",\"endpoint\":\"GET /price\",\"problem\":\"HTTP 500\",\"traces\":["
        + "[\"00000000000000010000000000000002\",1000],[\"00000000000000010000000000000003\",1500]],"
        + "\"more\":0,\"lastAtMs\":1500},"
        + "{\"kind\":\"slow\",\"endpoint\":\"GET /item\",\"problem\":\"slow\",\"traces\":["
        + "[\"00000000000000010000000000000004\",1200]],\"more\":0,\"lastAtMs\":1200}]}");
    assertThat(counts.pending()).isFalse();
  }

  @Test
  void pastTheQueueOnlyTheNumberIsKeptAndABatchCarriesAtMostItsShare() {
    for (int i = 0; i < Counts.MAX_QUEUED + 7; i++) {
      counts.add(1, 10 + i, "error", "GET /price", "HTTP 500", 2_000 + i);
    }

    Counts.Drained first = counts.drain();
    assertThat(Counts.occurrences(first)).as("a batch's ids, and every number").isEqualTo(Counts.MAX_PER_BATCH + 7);
    assertThat(json(first)).contains("\"more\":7");
    long rest = 0;
    while (counts.pending()) {
      rest += Counts.occurrences(counts.drain());
    }
    assertThat(rest).isEqualTo(Counts.MAX_QUEUED - Counts.MAX_PER_BATCH);
    assertThat(lost.get()).isZero();
  }

  @Test
  void whatAFailedBatchCarriedIsPutBackWhole() {
    counts.add(1, 2, "error", "GET /price", "HTTP 500", 1_000);
    Counts.Drained failed = counts.drain();
    counts.putBack(failed);

    assertThat(json(counts.drain())).isEqualTo(json(failed));
  }

  @Test
  void pastTheTrackedGroupsACountIsLostAndSaidSo() {
    for (int i = 0; i < Counts.MAX_QUEUED; i++) {
      counts.add(1, 10 + i, "error", "GET /price", "HTTP 500", 1);
    }
    for (int g = 0; g < Counts.MAX_OVERFLOW_GROUPS + 3; g++) {
      counts.add(1, 1, "error", "GET /item/" + g, "HTTP 500", 1);
    }
    assertThat(lost.get()).isEqualTo(3);
  }

  private static String json(Counts.Drained d) {
    StringBuilder sb = new StringBuilder();
    JsonWriter w = new JsonWriter(sb).beginObject();
    d.write(w);
    w.endObject();
    return sb.toString();
  }
}
