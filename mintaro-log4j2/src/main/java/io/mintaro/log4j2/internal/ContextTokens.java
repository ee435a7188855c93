package io.mintaro.log4j2.internal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Strings that stand for Mintaro trace contexts, so that a context can ride in Log4j's context
 * data, whose values are Strings in Log4j's default mode, to the thread that records the line.
 *
 * <p>A token is looked up by identity, not by its text: each token is a String object of its own,
 * registered once per span and logging thread, and it stands for its context for as long as
 * anything (an event still in an asynchronous queue, the logging thread's cache) holds it. After
 * that the collector reclaims it and its entry is dropped here; nothing is ever removed by hand.
 */
public final class ContextTokens {
  private static final ContextTokens TOKENS = new ContextTokens();

  private final ReferenceQueue<String> collected = new ReferenceQueue<>();
  private Entry[] table = new Entry[64];
  private int size;

  private static final class Entry extends WeakReference<String> {
    final int hash;
    final Object context;
    Entry next;

    Entry(String token, int hash, Object context, ReferenceQueue<String> queue, Entry next) {
      super(token, queue);
      this.hash = hash;
      this.context = context;
      this.next = next;
    }
  }

  ContextTokens() {}

  /**
   * A new token for {@code context}, showing {@code text}; a distinct String even when another
   * token shows the same text, so that two contexts of one trace never share a token.
   */
  public static String register(Object context, String text) {
    String token = new String(text); // a new object: the identity is the point
    TOKENS.put(token, context);
    return token;
  }

  /** The context {@code value} stands for, or null when it is not a token of ours. */
  public static Object resolve(Object value) {
    return value instanceof String ? TOKENS.get((String) value) : null;
  }

  synchronized void put(String token, Object context) {
    expunge();
    if (size >= table.length - (table.length >> 2)) {
      grow();
    }
    int hash = System.identityHashCode(token);
    int i = hash & (table.length - 1);
    table[i] = new Entry(token, hash, context, collected, table[i]);
    size++;
  }

  synchronized Object get(String token) {
    expunge();
    int hash = System.identityHashCode(token);
    for (Entry e = table[hash & (table.length - 1)]; e != null; e = e.next) {
      if (e.get() == token) {
        return e.context;
      }
    }
    return null;
  }

  synchronized int size() {
    expunge();
    return size;
  }

  private void expunge() {
    for (Object ref; (ref = collected.poll()) != null; ) {
      Entry dead = (Entry) ref;
      int i = dead.hash & (table.length - 1);
      Entry prev = null;
      for (Entry e = table[i]; e != null; prev = e, e = e.next) {
        if (e == dead) {
          if (prev == null) {
            table[i] = e.next;
          } else {
            prev.next = e.next;
          }
          size--;
          break;
        }
      }
    }
  }

  private void grow() {
    Entry[] bigger = new Entry[table.length * 2];
    for (Entry head : table) {
      for (Entry e = head; e != null; ) {
        Entry next = e.next;
        int i = e.hash & (bigger.length - 1);
        e.next = bigger[i];
        bigger[i] = e;
        e = next;
      }
    }
    table = bigger;
  }
}
