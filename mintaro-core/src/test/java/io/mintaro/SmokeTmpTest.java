package io.mintaro;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
class SmokeTmpTest { @Test void ok() { assertThat(1).isEqualTo(1); } }
