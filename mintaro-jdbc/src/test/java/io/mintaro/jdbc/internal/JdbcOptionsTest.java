package io.mintaro.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JdbcOptionsTest {

  private static JdbcOptions read(Map<String, String> properties, Map<String, String> variables) {
    return JdbcOptions.read(properties::get, variables::get);
  }

  @Test
  void byDefaultNothingTriggersAndNoBindValueIsKept() {
    JdbcOptions o = read(Map.of(), Map.of());
    assertThat(o.triggerOnError).isFalse();
    assertThat(o.captureParameters).isFalse();
    assertThat(o.secretWords()).containsExactly("password", "token", "secret");
  }

  @Test
  void environmentVariablesAsCoreNamesThem() {
    JdbcOptions o = read(Map.of(), Map.of("MINTARO_JDBC_TRIGGER_ON_ERROR", "true",
        "MINTARO_JDBC_CAPTURE_PARAMETERS", "TRUE", "MINTARO_REDACT_FIELDS", "ssn, Card_Number"));
    assertThat(o.triggerOnError).isTrue();
    assertThat(o.captureParameters).isTrue();
    assertThat(o.secretWords()).containsExactly("password", "token", "secret", "ssn", "card_number");
  }

  @Test
  void aSystemPropertyWinsOverTheVariable() {
    JdbcOptions o = read(Map.of("mintaro.jdbc.capture.parameters", "false"),
        Map.of("MINTARO_JDBC_CAPTURE_PARAMETERS", "true"));
    assertThat(o.captureParameters).isFalse();
  }

  @Test
  void aValueThatDoesNotParseIsIgnoredNotThrown() {
    JdbcOptions o = read(Map.of("mintaro.jdbc.trigger.on.error", "sometimes"), Map.of());
    assertThat(o.triggerOnError).isFalse();
  }

  @Test
  void secretWordsMatchAnywhereInANameIgnoringCase() {
    JdbcOptions o = read(Map.of(), Map.of());
    assertThat(o.isSecret("user_PASSWORD_hash")).isTrue();
    assertThat(o.isSecret("refreshToken")).isTrue();
    assertThat(o.isSecret("email")).isFalse();
    assertThat(o.isSecret(null)).isFalse();
  }
}
