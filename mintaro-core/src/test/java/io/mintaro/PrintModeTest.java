package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.internal.print.Printer;
import io.mintaro.internal.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which printer a process gets from {@code MINTARO_PRINT} and whether a collector is configured. */
class PrintModeTest {
  @AfterEach
  void clear() {
    System.clearProperty("mintaro.print");
    System.clearProperty("mintaro.collector");
  }

  @Test
  void autoIsATreeOnATerminalAndJsonLinesOtherwise() {
    assertThat(Printer.resolve(Settings.PRINT_AUTO, true)).isEqualTo(Settings.PRINT_TREE);
    assertThat(Printer.resolve(Settings.PRINT_AUTO, false)).isEqualTo(Settings.PRINT_JSON);
    assertThat(Printer.resolve(Settings.PRINT_TREE, false)).isEqualTo(Settings.PRINT_TREE);
    assertThat(Printer.resolve(Settings.PRINT_JSON, true)).isEqualTo(Settings.PRINT_JSON);
    assertThat(Printer.resolve(Settings.PRINT_OFF, true)).isEqualTo(Settings.PRINT_OFF);
  }

  @Test
  void aServiceConfiguredFromTheEnvironmentWithoutACollectorPrintsAuto() {
    assertThat(MintaroSdk.builder().fromEnvironment()).extracting(this::print).isEqualTo("auto");
  }

  @Test
  void aServiceWithACollectorDoesNotPrintUnlessToldTo() {
    System.setProperty("mintaro.collector", "http://127.0.0.1:9");
    assertThat(MintaroSdk.builder().fromEnvironment()).extracting(this::print).isEqualTo("off");

    System.setProperty("mintaro.print", "JSON");
    assertThat(MintaroSdk.builder().fromEnvironment()).extracting(this::print).isEqualTo("json");
  }

  @Test
  void anSdkBuiltInCodeStaysQuietSoThatTestsDo() {
    assertThat(MintaroSdk.builder()).extracting(this::print).isEqualTo("off");
  }

  @Test
  void offTurnsPrintingOffAndAnUnknownModeIsRefused() {
    System.setProperty("mintaro.print", "off");
    assertThat(MintaroSdk.builder().fromEnvironment()).extracting(this::print).isEqualTo("off");

    System.setProperty("mintaro.print", "yaml");
    assertThatThrownBy(() -> MintaroSdk.builder().fromEnvironment()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MINTARO_PRINT must be auto, tree, json or off, got: yaml");
  }

  private String print(MintaroSdk.Builder builder) {
    return builder.settings().print;
  }
}
