package io.mintaro.spring.boot;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code DataSize} property that also takes core's syntax ({@code 64k}, {@code 32m},
 * {@code 1g}), so that the same {@code MINTARO_*} variables work with and without the starter.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface CoreSizeSyntax {
}
