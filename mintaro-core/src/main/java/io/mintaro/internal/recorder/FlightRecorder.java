package io.mintaro.internal.recorder;

import io.mintaro.internal.context.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The in-process store of recent activity: one ring of bytes with a fixed size, and a
 * fixed-size index from trace id to that trace's newest record.
 *
 * <p>Writers claim space with a CAS on a monotonically growing cursor, write the record in place
 * and then publish it by swinging the index slot of its trace to it. Small records are claimed
 * from a block of the ring that the writing thread claimed for itself, so threads neither contend
 * on the cursor for every record nor write into each other's cache lines. Every record links to the
 * record that was at the head of its slot before it, so each slot is a chain in publish order.
 * Slots are shared by traces whose ids hash alike; readers skip foreign records. Nothing here
 * locks, and the write path allocates nothing.
 *
 * <p>Old records are overwritten when the cursor laps the ring. A reader detects that by
 * checking, after copying a record, that no writer has claimed the bytes it copied. A writer that
 * stalls for a whole lap between claiming its space and writing it scribbles over newer records
 * without claiming anything; every record therefore carries a checksum of its bytes (its chain link
 * included), and a reader drops a copy that does not match it.
 *
 * <p>Every claim notes when it was made: the latest claim's time, and the time of each
 * <em>granule</em> boundary of the cursor (1/256 of the ring, at least a block) that the claim
 * covers, in a small ring of checkpoints two laps long. {@link #oldestClaimMicros()} looks up the
 * two checkpoints around the oldest byte still in the ring, so the figures in the SDK's stats cost
 * a clock read per block claimed and nothing per record.
 */
public final class FlightRecorder {

  /** Record header: size, type, own position, previous position in slot chain, ids, time, checksum. */
  static final int HEADER_SIZE = 64;
  static final int OFF_SIZE = 0;
  static final int OFF_TYPE = 4;
  static final int OFF_POS = 8;
  static final int OFF_PREV = 16;
  static final int OFF_TRACE_HI = 24;
  static final int OFF_TRACE_LO = 32;
  static final int OFF_SPAN = 40;
  static final int OFF_TIME = 48;
  static final int OFF_CHECK = 56;

  private static final VarHandle CURSOR;
  private static final VarHandle LAST_CLAIM;
  private static final VarHandle INDEX = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle CHECKPOINTS = INDEX;

  static {
    try {
      CURSOR = MethodHandles.lookup().findVarHandle(FlightRecorder.class, "cursor", long.class);
      LAST_CLAIM = MethodHandles.lookup().findVarHandle(FlightRecorder.class, "lastClaimMicros", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Names this recorder in the threads' block state without keeping it reachable from them. */
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  final byte[] ring;
  private final int mask;
  private final int capacity;
  private final int maxRecordSize;
  /** Records up to a quarter of this are claimed from the writing thread's block. */
  private final int blockSize;
  /** How far the cursor may have moved past a thread's block before the thread claims a new one. */
  private final long staleLimit;
  private final long[] index;
  private final int indexMask;
  @SuppressWarnings("unused") // accessed through CURSOR
  private volatile long cursor;
  /** When the latest claim was made, microseconds since the epoch; 0 before the first. */
  @SuppressWarnings("unused") // accessed through LAST_CLAIM
  private long lastClaimMicros;
  /** Pairs of (granule number + 1, claim time) by granule; the number is 0 while a pair is written. */
  private final long[] checkpoints;
  private final int checkpointMask;
  private final int granuleShift;
  private final LongSupplier clock;

  /**
   * @param capacityBytes the memory budget; rounded down to a power of two, at least 64 KiB.
   */
  public FlightRecorder(int capacityBytes) {
    this(capacityBytes, Clock::nowMicros);
  }

  /** @param clock microseconds since the epoch, read once per claim; tests pass their own */
  FlightRecorder(int capacityBytes, LongSupplier clock) {
    int cap = Integer.highestOneBit(Math.max(capacityBytes, 64 * 1024));
    this.capacity = cap;
    this.mask = cap - 1;
    this.ring = new byte[cap];
    this.maxRecordSize = cap / 8;
    this.blockSize = Math.min(16 * 1024, cap / 64);
    this.staleLimit = cap / 16;
    int slots = Integer.highestOneBit(Math.max(cap / 1024, 256));
    this.index = new long[slots];
    this.indexMask = slots - 1;
    int granule = Math.max(cap >>> 8, blockSize);
    this.granuleShift = Integer.numberOfTrailingZeros(granule);
    int checkpointSlots = 2 * (cap / granule); // two laps: the granule before the oldest byte is still there
    this.checkpoints = new long[2 * checkpointSlots];
    this.checkpointMask = checkpointSlots - 1;
    this.clock = clock;
  }

  public int capacity() {
    return capacity;
  }

  /** The largest record this ring accepts; writers trim variable parts to fit. */
  public int maxRecordSize() {
    return maxRecordSize;
  }

  /** Total bytes ever claimed; the ring holds the last {@link #capacity()} of them. */
  public long written() {
    return (long) CURSOR.getVolatile(this);
  }

  /**
   * Claims {@code size} bytes (a multiple of 8, at most {@link #maxRecordSize()}) that do not wrap
   * around the end of the ring. Returns the absolute position of the claimed space.
   */
  long claim(int size) {
    for (;;) {
      long current = (long) CURSOR.getVolatile(this);
      int offset = (int) (current & mask);
      long start = offset + size > capacity ? current + (capacity - offset) : current;
      if (CURSOR.compareAndSet(this, current, start + size)) {
        checkpoint(current, start + size);
        return start;
      }
    }
  }

  /**
   * Notes the time of the claim of {@code [from, to)} (the skipped tail included): as the latest
   * claim, and for every granule boundary inside it. Each boundary lies in exactly one claim, so
   * each checkpoint has one writer, which writes it as a seqlock: tag cleared, time, tag set.
   */
  private void checkpoint(long from, long to) {
    long now = clock.getAsLong();
    LAST_CLAIM.setOpaque(this, now);
    long last = (to - 1) >>> granuleShift;
    for (long g = (from + (1L << granuleShift) - 1) >>> granuleShift; g <= last; g++) {
      int slot = (int) (g & checkpointMask) << 1;
      CHECKPOINTS.setOpaque(checkpoints, slot, 0L);
      VarHandle.storeStoreFence();
      CHECKPOINTS.setOpaque(checkpoints, slot + 1, now);
      CHECKPOINTS.setRelease(checkpoints, slot, g + 1);
    }
  }

  /** The claim time of granule boundary {@code g}, or -1 when it is not (or no longer) known. */
  private long checkpointTime(long g) {
    int slot = (int) (g & checkpointMask) << 1;
    long tag = (long) CHECKPOINTS.getAcquire(checkpoints, slot);
    long time = (long) CHECKPOINTS.getOpaque(checkpoints, slot + 1);
    VarHandle.loadLoadFence();
    return tag == g + 1 && (long) CHECKPOINTS.getOpaque(checkpoints, slot) == tag ? time : -1;
  }

  /** When the latest claim was made, microseconds since the epoch; 0 when nothing was written. */
  public long newestClaimMicros() {
    return (long) LAST_CLAIM.getOpaque(this);
  }

  /**
   * When the oldest byte still in the ring was claimed, microseconds since the epoch,
   * interpolated between the checkpoints of the granule boundaries around it; before the first
   * lap, that is the first claim. 0 when nothing was written. A block is claimed before the
   * records in it are written, so this is at most a block's filling time earlier than the oldest
   * record. For stats: it reads a few checkpoints, never the records.
   */
  public long oldestClaimMicros() {
    long end = written();
    if (end == 0) {
      return 0;
    }
    long oldest = Math.max(0, end - capacity);
    long g = oldest >>> granuleShift;
    long t0 = checkpointTime(g);
    long t1 = (g + 1) << granuleShift < end ? checkpointTime(g + 1) : -1;
    if (t0 >= 0 && t1 >= t0) {
      double into = (oldest - (g << granuleShift)) / (double) (1L << granuleShift);
      return t0 + (long) ((t1 - t0) * into);
    }
    if (t0 >= 0) {
      return t0;
    }
    // a writer between its claim and its checkpoint: the next boundary known is the best bound
    for (long h = g + 1; h << granuleShift < end; h++) {
      long t = checkpointTime(h);
      if (t >= 0) {
        return t;
      }
    }
    return newestClaimMicros();
  }

  /**
   * Claims {@code size} bytes from the calling thread's block, first claiming a new block when
   * the record does not fit, the block belongs to another recorder, or the cursor has moved more
   * than {@link #staleLimit} past it (a thread that was idle must not write where the ring is
   * about to be overwritten).
   */
  private long claimInBlock(RecordBuffer thread, int size) {
    long position = thread.blockNext;
    if (thread.blockOwner != id || position + size > thread.blockEnd || written() - position > staleLimit) {
      position = claim(blockSize);
      thread.blockOwner = id;
      thread.blockEnd = position + blockSize;
    }
    thread.blockNext = position + size;
    return position;
  }

  /** The size of the blocks that threads claim for their small records. */
  int blockSize() {
    return blockSize;
  }

  int offsetOf(long position) {
    return (int) (position & mask);
  }

  /**
   * Claims space for an encoded record, copies it in, publishes it and releases the buffer. A
   * record larger than {@link #maxRecordSize()} is dropped; one larger than a quarter block is
   * claimed on its own, so that a block wastes at most a quarter of itself at its end.
   */
  void append(RecordBuffer record, long traceLo) {
    int aligned = (record.size() + 7) & ~7;
    if (aligned <= maxRecordSize) {
      long position = aligned <= blockSize / 4 ? claimInBlock(record, aligned) : claim(aligned);
      int offset = offsetOf(position);
      record.copyTo(ring, offset);
      Bytes.putInt(ring, offset + OFF_SIZE, aligned);
      Bytes.putLong(ring, offset + OFF_POS, position);
      publish(position, aligned, traceLo);
    }
    record.release();
  }

  /** Links a fully written record into its trace's slot chain, making it visible to readers. */
  void publish(long position, int size, long traceLo) {
    if (position < written() - capacity) {
      return; // lapped while writing: the record is gone, and linking it would hide older ones
    }
    int slot = slotOf(traceLo);
    int offset = offsetOf(position);
    long sum = checksum(ring, offset, size);
    long previous;
    do {
      previous = (long) INDEX.getVolatile(index, slot);
      Bytes.putLong(ring, offset + OFF_PREV, previous);
      Bytes.putLong(ring, offset + OFF_CHECK, mix(sum, previous));
    } while (!INDEX.compareAndSet(index, slot, previous, position + 1));
  }

  /**
   * Sums the 8-byte words of a record but its chain link and its checksum, Fletcher style: a sum
   * of the words and a sum of those running sums, so that changing any word, or swapping two,
   * changes the result. Two additions per word keep it cheap: it guards against the bytes of a
   * stalled writer, not against an adversary, who cannot time that race anyway.
   */
  private static long checksum(byte[] b, int offset, int size) {
    long s1 = size;
    long s2 = 0;
    s1 += Bytes.getLong(b, offset + OFF_SIZE);
    s2 += s1;
    s1 += Bytes.getLong(b, offset + OFF_POS);
    s2 += s1;
    s1 += Bytes.getLong(b, offset + OFF_TRACE_HI);
    s2 += s1;
    s1 += Bytes.getLong(b, offset + OFF_TRACE_LO);
    s2 += s1;
    s1 += Bytes.getLong(b, offset + OFF_SPAN);
    s2 += s1;
    s1 += Bytes.getLong(b, offset + OFF_TIME);
    s2 += s1;
    for (int i = offset + HEADER_SIZE, end = offset + size; i < end; i += 8) {
      s1 += Bytes.getLong(b, i);
      s2 += s1;
    }
    // s1 is mixed on its own first: the last word adds the same amount to both sums, which
    // (s1 ^ s2) alone would often not notice
    return mix(mix(s1, 0), s2);
  }

  private static long mix(long h, long word) {
    return Long.rotateLeft((h ^ word) * 0x9E3779B97F4A7C15L, 29);
  }

  /** True when a copied record is whole: its own position, and bytes that match its checksum. */
  private static boolean intact(byte[] copy, long position) {
    return Bytes.getLong(copy, OFF_POS) == position
        && Bytes.getLong(copy, OFF_CHECK) == mix(checksum(copy, 0, copy.length), Bytes.getLong(copy, OFF_PREV));
  }

  private int slotOf(long traceLo) {
    long h = traceLo * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & indexMask;
  }

  /** The current head of the slot chain that holds this trace; pass it back as {@code stopAt}. */
  public long head(long traceLo) {
    return (long) INDEX.getVolatile(index, slotOf(traceLo));
  }

  /**
   * Copies the records of one trace that were published after {@code stopAt} (a value previously
   * returned by {@link #head}; 0 for all), newest first. Overwritten records are skipped.
   */
  public List<byte[]> read(long traceHi, long traceLo, long stopAt) {
    List<byte[]> out = new ArrayList<>();
    walk((long) INDEX.getVolatile(index, slotOf(traceLo)), stopAt, copy -> {
      if (Bytes.getLong(copy, OFF_TRACE_HI) == traceHi && Bytes.getLong(copy, OFF_TRACE_LO) == traceLo) {
        out.add(copy);
      }
    });
    return out;
  }

  /**
   * The ids of every trace that still has records in the ring, each as {@code {hi, lo}}, the
   * most recently written chain first. Walks the whole index: for test mode and local tools,
   * never for the agent's per-trace work.
   */
  public List<long[]> traceIds() {
    Set<List<Long>> seen = new LinkedHashSet<>();
    for (int slot = 0; slot < index.length; slot++) {
      walk((long) INDEX.getVolatile(index, slot), 0, copy ->
          seen.add(List.of(Bytes.getLong(copy, OFF_TRACE_HI), Bytes.getLong(copy, OFF_TRACE_LO))));
    }
    List<long[]> out = new ArrayList<>(seen.size());
    for (List<Long> id : seen) {
      out.add(new long[] {id.get(0), id.get(1)});
    }
    return out;
  }

  /** Hands each intact record of a slot chain to {@code visitor}, newest first, until stopAt. */
  private void walk(long link, long stopAt, Consumer<byte[]> visitor) {
    int guard = capacity / HEADER_SIZE + 1;
    while (link != 0 && link != stopAt && guard-- > 0) {
      long position = link - 1;
      if (position < written() - capacity) {
        // overwritten; what is older in the chain is too, or (published earlier from a newer
        // block) is within the stale limit of it and about to be
        break;
      }
      int offset = offsetOf(position);
      if ((offset & 7) != 0 || offset + HEADER_SIZE > capacity) {
        break; // not a link any writer made
      }
      int size = Bytes.getInt(ring, offset + OFF_SIZE);
      if (Bytes.getLong(ring, offset + OFF_POS) != position || size < HEADER_SIZE || size > maxRecordSize
          || (size & 7) != 0 || offset + size > capacity) {
        break; // overwritten by a writer that had fallen behind
      }
      byte[] copy = new byte[size];
      System.arraycopy(ring, offset, copy, 0, size);
      VarHandle.acquireFence();
      if (position + capacity < written() || !intact(copy, position)) {
        break; // lapped or scribbled over while we were reading: the copy and the link may be torn
      }
      visitor.accept(copy);
      link = Bytes.getLong(copy, OFF_PREV);
    }
  }
}
