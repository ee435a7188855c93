package io.mintaro.internal.print;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.MintaroSdk;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A process that exits while its triggered trace is held still prints it, within a bounded time. */
class FlushAtShutdownTest {
  @Test
  @Timeout(60)
  void aTraceHeldForItsRootIsPrintedWhenTheJvmExits() throws Exception {
    String classpath = location(MintaroSdk.class) + File.pathSeparator + location(FailsThenExits.class);
    ProcessBuilder child = new ProcessBuilder(
        ProcessHandle.current().info().command().orElse("java"), "-cp", classpath, FailsThenExits.class.getName());
    child.environment().keySet().removeIf(k -> k.startsWith("MINTARO_"));
    child.environment().put("MINTARO_PRINT", "json");
    child.environment().put("MINTARO_SERVICE", "shop");
    child.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = child.start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).isEqualTo(3);
    List<String> lines = stdout.lines().filter(l -> !l.isEmpty()).toList();
    assertThat(lines).singleElement().satisfies(line -> assertThat(line)
        .startsWith("{\"mintaro\":1,")
        .contains("\"service\":\"shop\"", "\"reason\":\"ERROR log: payment failed\"",
            "\"name\":\"POST /checkout\"", "\"status\":\"started\"", "card declined"));
  }

  private static String location(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
