package io.mintaro.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Gives each test class its own fresh {@link Stack}: collector, relay and demo services. */
abstract class StackTest {
  @TempDir
  static Path dir;
  static Stack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = Stack.start(dir, Stack.defaults());
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
      stack = null;
    }
  }
}
