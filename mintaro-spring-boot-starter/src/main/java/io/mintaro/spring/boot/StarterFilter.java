package io.mintaro.spring.boot;

import io.mintaro.servlet.MintaroFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/** {@link MintaroFilter}, recording into the SDK the {@link SdkSelector} names for each request. */
final class StarterFilter implements Filter {
  private final SdkSelector selector;
  private final MintaroFilter own;
  private final MintaroFilter global = new MintaroFilter();

  StarterFilter(SdkSelector selector) {
    this.selector = selector;
    this.own = new MintaroFilter(selector.own());
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Filter filter;
    try {
      filter = selector.current() == selector.own() ? own : global;
    } catch (RuntimeException e) {
      filter = own;
    }
    filter.doFilter(request, response, chain);
  }
}
