package io.mintaro;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose every call is a span, like OpenTelemetry's {@code @WithSpan}. Core does not
 * act on it: an integration that can intercept calls does (the Spring Boot starter, through Spring
 * AOP). An exception that escapes the method marks the span failed and is rethrown.
 *
 * <pre>{@code
 * @Traced("charge-card")
 * Receipt charge(Card card, long amount) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Traced {
  /** The span's name; when empty, {@code SimpleClassName.method}. */
  String value() default "";

  /** The span's kind. */
  Span.Kind kind() default Span.Kind.INTERNAL;
}
