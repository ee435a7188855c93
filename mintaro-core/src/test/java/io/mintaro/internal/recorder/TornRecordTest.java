package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A writer that stalls for a whole lap between claiming its space and writing it lands its bytes
 * on newer records without claiming anything. Readers must notice: a record whose bytes changed
 * after it was published is never returned, and a damaged chain link is never followed into
 * garbage. These tests play the late writer by writing into the ring directly.
 */
class TornRecordTest {
  private final FlightRecorder recorder = new FlightRecorder(64 * 1024);
  private final RecordWriter writer = new RecordWriter(recorder);

  @Test
  void aRecordScribbledOverAfterPublishingIsNotReturned() {
    Workload.write(writer, 1, 0);
    Workload.write(writer, 1, 1);
    long damaged = recorder.head(Workload.lo(1)) - 1;
    Workload.write(writer, 1, 3);
    // a late writer's 8 bytes land in the middle of the record
    Bytes.putLong(recorder.ring, recorder.offsetOf(damaged) + FlightRecorder.HEADER_SIZE + 8, 0x4141414141414141L);

    List<Integer> seqs = seqs(1);

    assertThat(seqs).contains(3).doesNotContain(1);
  }

  /**
   * Found by FlightRecorderFuzzTest (aTornRecordIsNeverReturned, seed 5815447544607197925): a
   * zeroed byte in the last word of a log record went unnoticed, because the last word adds the
   * same amount to both sums of the checksum and their XOR often stayed the same.
   */
  @Test
  void aChangeToAnyByteOfTheLastWordIsNoticed() {
    Workload.write(writer, 1, 0);
    long position = recorder.head(Workload.lo(1)) - 1;
    int offset = recorder.offsetOf(position);
    int size = Bytes.getInt(recorder.ring, offset + FlightRecorder.OFF_SIZE);

    List<String> unnoticed = new ArrayList<>();
    for (int at = offset + size - 8; at < offset + size; at++) {
      for (int flip = 1; flip < 256; flip++) {
        recorder.ring[at] ^= (byte) flip;
        if (!seqs(1).isEmpty()) {
          unnoticed.add("byte " + (at - offset) + " ^ " + flip);
        }
        recorder.ring[at] ^= (byte) flip;
      }
    }

    assertThat(unnoticed).isEmpty();
    assertThat(seqs(1)).containsExactly(0);
  }

  @Test
  void aDamagedChainLinkIsNotFollowed() {
    Workload.write(writer, 1, 0);
    Workload.write(writer, 1, 1);
    long newest = recorder.head(Workload.lo(1)) - 1;
    Bytes.putLong(recorder.ring, recorder.offsetOf(newest) + FlightRecorder.OFF_PREV, 65_531);

    assertThatCode(() -> seqs(1)).doesNotThrowAnyException();
    assertThat(seqs(1)).doesNotContain(1);
  }

  @Test
  void aWriterLappedBeforePublishingDoesNotHideTheRecordsOfItsSlot() {
    Workload.write(writer, 1, 0);
    long stale = recorder.head(Workload.lo(1)) - 1;
    int staleSize = Bytes.getInt(recorder.ring, recorder.offsetOf(stale) + FlightRecorder.OFF_SIZE);
    for (int seq = 1; seq < 2_000; seq++) {
      Workload.write(writer, 3, seq);
    }
    Workload.write(writer, 2, 2_001);
    Workload.write(writer, 2, 2_002);

    recorder.publish(stale, staleSize, Workload.lo(2)); // the late writer finally publishes

    assertThat(seqs(2)).containsExactly(2_002, 2_001);
  }

  @Test
  void randomDamageNeverYieldsAWrongRecordOrAnException() {
    Random random = new Random(3);
    int traces = 50;
    for (int seq = 0; seq < 3_000; seq++) {
      Workload.write(writer, random.nextInt(traces), seq);
    }
    int returned = 0;
    for (int round = 0; round < 200; round++) {
      int at = random.nextInt(recorder.capacity() - 8);
      Bytes.putLong(recorder.ring, at, random.nextLong());
      for (int trace = 0; trace < traces; trace++) {
        returned += seqs(trace).size(); // every record returned is verified whole
      }
    }
    assertThat(returned).isPositive();
  }

  private List<Integer> seqs(int trace) {
    List<Integer> out = new ArrayList<>();
    for (byte[] r : recorder.read(Workload.hi(trace), Workload.lo(trace), 0)) {
      out.add(Workload.verify(r, trace));
    }
    return out;
  }
}
