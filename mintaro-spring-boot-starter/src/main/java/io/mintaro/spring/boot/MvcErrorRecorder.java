package io.mintaro.spring.boot;

import io.mintaro.http.ServerExchange;
import io.mintaro.servlet.MintaroFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * First of Spring MVC's exception resolvers, and resolves nothing: it keeps the exception on the
 * request's exchange before an {@code @ExceptionHandler}, a {@code ResponseStatusException} or
 * the error page turns it into a response, so that the span shows it and a resulting 5xx
 * triggers with it.
 */
final class MvcErrorRecorder implements HandlerExceptionResolver, Ordered {

  @Override
  public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
      Exception ex) {
    try {
      if (request.getAttribute(MintaroFilter.EXCHANGE_ATTRIBUTE) instanceof ServerExchange exchange) {
        exchange.recordError(ex);
      }
    } catch (RuntimeException e) {
      // never stand between the application and its error handling
    }
    return null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
