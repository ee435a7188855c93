package io.mintaro.spring.boot;

import io.mintaro.Mintaro;
import org.springframework.core.task.TaskDecorator;

/** Runs each task in the trace of the thread that submitted it. */
final class MintaroTaskDecorator implements TaskDecorator {
  @Override
  public Runnable decorate(Runnable runnable) {
    try {
      return Mintaro.wrap(runnable);
    } catch (RuntimeException e) {
      return runnable;
    }
  }
}
