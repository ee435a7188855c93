package io.mintaro.internal;

import io.mintaro.internal.context.ContextStorage;
import io.mintaro.internal.context.TraceContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Carries the submitting thread's trace context into tasks run by executors. */
public final class ContextExecutors {
  private ContextExecutors() {}

  public static Runnable wrap(TraceContext ctx, Runnable task) {
    if (ctx == null || task == null) {
      return task;
    }
    return () -> {
      TraceContext previous = ContextStorage.swap(ctx);
      try {
        task.run();
      } finally {
        ContextStorage.swap(previous);
      }
    };
  }

  public static <T> Callable<T> wrap(TraceContext ctx, Callable<T> task) {
    if (ctx == null || task == null) {
      return task;
    }
    return () -> {
      TraceContext previous = ContextStorage.swap(ctx);
      try {
        return task.call();
      } finally {
        ContextStorage.swap(previous);
      }
    };
  }

  public static Executor wrap(Executor executor) {
    if (executor instanceof ExecutorService) {
      return wrap((ExecutorService) executor);
    }
    return command -> executor.execute(wrap(ContextStorage.current(), command));
  }

  public static ExecutorService wrap(ExecutorService executor) {
    if (executor instanceof ContextExecutorService) {
      return executor;
    }
    return new ContextExecutorService(executor);
  }

  private static <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
    TraceContext ctx = ContextStorage.current();
    List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      wrapped.add(wrap(ctx, task));
    }
    return wrapped;
  }

  private static final class ContextExecutorService implements ExecutorService {
    private final ExecutorService delegate;

    ContextExecutorService(ExecutorService delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable command) {
      delegate.execute(wrap(ContextStorage.current(), command));
    }

    @Override
    public Future<?> submit(Runnable task) {
      return delegate.submit(wrap(ContextStorage.current(), task));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
      return delegate.submit(wrap(ContextStorage.current(), task), result);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
      return delegate.submit(wrap(ContextStorage.current(), task));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
      return delegate.invokeAll(wrapAll(tasks));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
        throws InterruptedException {
      return delegate.invokeAll(wrapAll(tasks), timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
      return delegate.invokeAny(wrapAll(tasks));
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return delegate.invokeAny(wrapAll(tasks), timeout, unit);
    }

    @Override
    public void shutdown() {
      delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }
  }
}
