package io.mintaro.spring.boot;

import io.mintaro.http.ServerExchange;
import io.mintaro.servlet.MintaroFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * Keeps on the request's exchange the exceptions Spring MVC resolves itself: an
 * {@code @ExceptionHandler}, a {@code ResponseStatusException}, Spring's own resolvers. As the
 * first exception resolver it notes the exception and resolves nothing; as the first handler
 * interceptor it learns at {@code afterCompletion} whether a resolver handled it (then the
 * exception is recorded as handled, and a resulting 5xx triggers with it) or not (then it escapes
 * to the filter, which records it as the request's failure, once).
 */
final class MvcErrorRecorder implements HandlerExceptionResolver, HandlerInterceptor, Ordered {
  private static final String RESOLVING = MvcErrorRecorder.class.getName() + ".exception";

  @Override
  public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
      Exception ex) {
    try {
      request.setAttribute(RESOLVING, ex);
    } catch (RuntimeException e) {
      // never stand between the application and its error handling
    }
    return null;
  }

  @Override
  public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
      Exception unresolved) {
    try {
      if (!(request.getAttribute(RESOLVING) instanceof Exception resolved)) {
        return;
      }
      request.removeAttribute(RESOLVING);
      if (unresolved == null && request.getAttribute(MintaroFilter.EXCHANGE_ATTRIBUTE) instanceof ServerExchange exchange) {
        exchange.recordError(resolved);
      }
    } catch (RuntimeException e) {
      // ditto
    }
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
