/** Mintaro for Spring's HTTP clients: a {@code ClientHttpRequestInterceptor} for RestClient and RestTemplate. */
module io.mintaro.spring.web {
  requires transitive io.mintaro;
  requires transitive spring.web;

  exports io.mintaro.spring.web;
}
