package dev.agentflow.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

/**
 * What {@code .ci/run} hands the integration tests through the environment: where the Temporal dev
 * server listens and the script that stops and starts it. A developer without a server skips the
 * tests (a JUnit assumption with the reason), while CI always sets every variable.
 */
final class ItEnvironment {

  static final String TEMPORAL_ADDRESS = "AGENTFLOW_IT_TEMPORAL_ADDRESS";
  static final String TEMPORAL_CTL = "AGENTFLOW_IT_TEMPORAL_CTL";

  private ItEnvironment() {}

  /** The dev server's frontend, e.g. {@code 127.0.0.1:7233}; skips the test when unset. */
  static String temporalAddress() {
    return require(TEMPORAL_ADDRESS);
  }

  /** The script that starts and stops the dev server ({@code .ci/temporal-dev-server.sh}); skips the test when unset. */
  static Path temporalControlScript() {
    return Path.of(require(TEMPORAL_CTL));
  }

  private static String require(String name) {
    String value = System.getenv(name);
    assumeTrue(value != null && !value.isBlank(),
        name + " is not set: no Temporal dev server to test against (.ci/run starts one and sets it)");
    return value;
  }
}
