package io.mintaro.spring.boot;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.Traced;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Runs each call of a {@link Traced} method in a span: a child of the current span, or a new
 * trace's root. An exception that escapes marks the span failed and is rethrown unchanged.
 */
final class TracedInterceptor implements MethodInterceptor {
  /** Each method's span name and kind, resolved once. */
  private final Map<Method, Traced> annotations = new ConcurrentHashMap<>();
  private final Map<Method, String> names = new ConcurrentHashMap<>();

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    Span span = start(invocation);
    if (span == null) {
      return invocation.proceed();
    }
    try {
      return invocation.proceed();
    } catch (Throwable e) {
      span.fail(e);
      throw e;
    } finally {
      span.close();
    }
  }

  private Span start(MethodInvocation invocation) {
    try {
      Method method = invocation.getMethod();
      Class<?> target = invocation.getThis() == null ? method.getDeclaringClass()
          : ClassUtils.getUserClass(AopUtils.getTargetClass(invocation.getThis()));
      Method specific = AopUtils.getMostSpecificMethod(method, target);
      Traced traced = annotations.computeIfAbsent(specific, TracedInterceptor::find);
      if (traced == null) {
        return null;
      }
      String name = names.computeIfAbsent(specific, m -> traced.value().isBlank()
          ? target.getSimpleName() + "." + m.getName() : traced.value());
      return Mintaro.startSpan(name, traced.kind());
    } catch (RuntimeException e) {
      return null; // the call goes ahead untraced
    }
  }

  private static Traced find(Method method) {
    return AnnotatedElementUtils.findMergedAnnotation(method, Traced.class);
  }
}
