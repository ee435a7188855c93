package io.mintaro.log4j2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A token stands for its context while something holds it, by identity, and is forgotten after. */
class ContextTokensTest {
  private final ContextTokens tokens = new ContextTokens();

  @Test
  void aTokenStandsForItsContext() {
    Object context = new Object();
    String token = new String("4bf92f3577b34da6a3ce929d0e0e4736");
    tokens.put(token, context);

    assertThat(tokens.get(token)).isSameAs(context);
  }

  @Test
  void anEqualStringThatIsNotTheTokenStandsForNothing() {
    String token = new String("4bf92f3577b34da6a3ce929d0e0e4736");
    tokens.put(token, new Object());

    assertThat(tokens.get(new String(token))).isNull();
  }

  @Test
  void twoContextsOfOneTraceGetTokensOfTheirOwn() {
    Object parent = new Object();
    Object child = new Object();
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    String parentToken = ContextTokens.register(parent, traceId);
    String childToken = ContextTokens.register(child, traceId);

    assertThat(parentToken).isEqualTo(childToken).isNotSameAs(childToken);
    assertThat(ContextTokens.resolve(parentToken)).isSameAs(parent);
    assertThat(ContextTokens.resolve(childToken)).isSameAs(child);
    assertThat(ContextTokens.resolve(traceId)).isNull();
    assertThat(ContextTokens.resolve(42)).isNull();
    assertThat(ContextTokens.resolve(null)).isNull();
  }

  @Test
  void manyTokensAreAllFound() {
    List<String> held = new ArrayList<>();
    List<Object> contexts = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Object context = new Object();
      String token = new String("trace-" + i);
      tokens.put(token, context);
      held.add(token);
      contexts.add(context);
    }

    for (int i = 0; i < held.size(); i++) {
      assertThat(tokens.get(held.get(i))).isSameAs(contexts.get(i));
    }
  }

  @Test
  void tokensNobodyHoldsAnyMoreAreDropped() throws InterruptedException {
    String kept = new String("kept");
    Object keptContext = new Object();
    tokens.put(kept, keptContext);
    for (int i = 0; i < 10_000; i++) {
      tokens.put(new String("finished span " + i), new Object());
    }

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (tokens.size() > 1 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }

    assertThat(tokens.size()).isEqualTo(1);
    assertThat(tokens.get(kept)).isSameAs(keptContext);
  }
}
