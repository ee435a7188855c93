package io.mintaro.internal.propagation;

/**
 * W3C {@code tracestate}: validates a received list and builds the one Mintaro sends on, with
 * its own member ({@code mintaro=<agent id>}) first and every other member as received.
 *
 * <p>Bounded work on hostile input: a value longer than {@link #MAX_READ} characters is dropped
 * unread, scanning stops at the 33rd member, and the only memory used is two fixed arrays of 32
 * offsets and the result (at most {@link #MAX_LENGTH} characters).
 */
public final class TraceState {
  /** The key of Mintaro's own member. */
  public static final String KEY = "mintaro";
  /** At most 32 list members (W3C). */
  static final int MAX_MEMBERS = 32;
  /** The longest tracestate Mintaro sends: the 512 characters W3C asks every vendor to propagate. */
  public static final int MAX_LENGTH = 512;
  /** Members longer than this are the first dropped when the list must be shortened (W3C). */
  static final int LARGE_MEMBER = 128;
  /**
   * A received value longer than this is dropped without being read. The longest valid list
   * without optional whitespace is 32 members of 256 + 1 + 256 characters and 31 commas.
   */
  public static final int MAX_READ = 32 * 1024;
  private static final int MAX_KEY = 256;
  private static final int MAX_VALUE = 256;

  private static volatile String[] ownMember = {"", KEY + "="};

  private TraceState() {}

  /** What a received tracestate turns into. */
  public static final class Forwarded {
    /** The list to send on: Mintaro's member first, then the others as received. */
    public final String value;
    /** The agent id in a received {@code mintaro} member (the nearest Mintaro upstream), or null. */
    public final String upstreamAgent;

    Forwarded(String value, String upstreamAgent) {
      this.value = value;
      this.upstreamAgent = upstreamAgent;
    }
  }

  static String ownMember(String agentId) {
    String[] cached = ownMember;
    if (cached[0].equals(agentId)) {
      return cached[1];
    }
    String member = KEY + "=" + agentId;
    ownMember = new String[] {agentId, member};
    return member;
  }

  /**
   * Validates {@code received} (the combined value of every tracestate header) and returns the
   * list to send on, with {@code own} ({@code mintaro=<agent id>}) first. Returns null when the
   * received list is invalid: a member that breaks the key or value grammar, or more than 32
   * members. Empty members and optional whitespace are accepted and not sent on; a key received
   * twice keeps its first (left-most, most recent) member; a received {@code mintaro} member is
   * replaced by {@code own}. Past 32 members or 512 characters, members longer than 128
   * characters are dropped first, right-most first, then members from the right end.
   */
  public static Forwarded forward(String received, String own) {
    if (received == null || received.length() > MAX_READ) {
      return null;
    }
    int n = received.length();
    int[] starts = null;
    int[] ends = null;
    int count = 0;
    String upstream = null;
    int i = 0;
    while (i <= n) {
      int comma = received.indexOf(',', i);
      if (comma < 0) {
        comma = n;
      }
      int s = TraceHeaders.skipOws(received, i, comma);
      int e = TraceHeaders.trimOws(received, s, comma);
      if (s < e) {
        if (count == MAX_MEMBERS) {
          return null;
        }
        int eq = validMember(received, s, e);
        if (eq < 0) {
          return null;
        }
        if (starts == null) {
          starts = new int[MAX_MEMBERS];
          ends = new int[MAX_MEMBERS];
        }
        if (isOwnKey(received, s, eq)) {
          // counted toward the 32, but not sent on: ours replaces it
          if (upstream == null) {
            upstream = TraceHeaders.parseAgentId(received.substring(eq + 1, e));
          }
          starts[count] = -1;
          ends[count] = -1;
        } else {
          starts[count] = s;
          ends[count] = e;
        }
        count++;
      }
      i = comma + 1;
    }
    if (starts == null) {
      return new Forwarded(own, null);
    }
    dropDuplicateKeys(received, starts, ends, count);
    truncate(starts, ends, count, own.length());
    int length = own.length();
    for (int m = 0; m < count; m++) {
      if (starts[m] >= 0) {
        length += 1 + ends[m] - starts[m];
      }
    }
    if (length == own.length()) {
      return new Forwarded(own, upstream);
    }
    StringBuilder out = new StringBuilder(length).append(own);
    for (int m = 0; m < count; m++) {
      if (starts[m] >= 0) {
        out.append(',').append(received, starts[m], ends[m]);
      }
    }
    return new Forwarded(out.toString(), upstream);
  }

  /**
   * Checks one member, {@code [s, e)} without surrounding whitespace, against the grammar of
   * W3C Trace Context Level 2 (which accepts every key Level 1 does); returns the index of its
   * {@code =}, or -1.
   */
  static int validMember(String v, int s, int e) {
    char first = v.charAt(s);
    if (!(lcAlpha(first) || digit(first))) {
      return -1;
    }
    int i = s + 1;
    while (i < e && i - s < MAX_KEY + 1) {
      char c = v.charAt(i);
      if (c == '=') {
        break;
      }
      if (!(lcAlpha(c) || digit(c) || c == '_' || c == '-' || c == '*' || c == '/' || c == '@')) {
        return -1;
      }
      i++;
    }
    if (i >= e || v.charAt(i) != '=' || i - s > MAX_KEY) {
      return -1;
    }
    int eq = i;
    int valueLength = e - eq - 1;
    if (valueLength < 1 || valueLength > MAX_VALUE) {
      return -1;
    }
    for (int j = eq + 1; j < e; j++) {
      char c = v.charAt(j);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
        return -1;
      }
    }
    // the last character is not a space: trailing whitespace was trimmed as optional whitespace
    return eq;
  }

  private static boolean isOwnKey(String v, int s, int eq) {
    return eq - s == KEY.length() && v.startsWith(KEY, s);
  }

  /** Keeps the first member of each key; later ones are dropped (marked -1). */
  private static void dropDuplicateKeys(String v, int[] starts, int[] ends, int count) {
    for (int m = 1; m < count; m++) {
      if (starts[m] < 0) {
        continue;
      }
      int keyLength = v.indexOf('=', starts[m]) - starts[m];
      for (int k = 0; k < m; k++) {
        if (starts[k] >= 0 && v.indexOf('=', starts[k]) - starts[k] == keyLength
            && v.regionMatches(starts[k], v, starts[m], keyLength)) {
          starts[m] = -1;
          ends[m] = -1;
          break;
        }
      }
    }
  }

  /**
   * Makes the members that are kept, with {@code own} in front, fit 32 members and
   * {@link #MAX_LENGTH} characters.
   */
  private static void truncate(int[] starts, int[] ends, int count, int ownLength) {
    int members = 1;
    int length = ownLength;
    for (int m = 0; m < count; m++) {
      if (starts[m] >= 0) {
        members++;
        length += 1 + ends[m] - starts[m];
      }
    }
    // adding our member to a full list drops the right-most one (W3C 3.3.2)
    for (int m = count - 1; m >= 0 && members > MAX_MEMBERS; m--) {
      if (starts[m] >= 0) {
        length -= 1 + ends[m] - starts[m];
        members--;
        starts[m] = -1;
      }
    }
    for (int m = count - 1; m >= 0 && length > MAX_LENGTH; m--) {
      if (starts[m] >= 0 && ends[m] - starts[m] > LARGE_MEMBER) {
        length -= 1 + ends[m] - starts[m];
        starts[m] = -1;
      }
    }
    for (int m = count - 1; m >= 0 && length > MAX_LENGTH; m--) {
      if (starts[m] >= 0) {
        length -= 1 + ends[m] - starts[m];
        starts[m] = -1;
      }
    }
  }

  private static boolean lcAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}
