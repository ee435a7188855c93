/** Mintaro test mode: record into an in-process SDK and assert on it; the integrations' contract suites. */
module io.mintaro.test {
  requires transitive io.mintaro;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires java.net.http;
  requires jdk.httpserver;

  exports io.mintaro.test;
  exports io.mintaro.test.contract;
}
