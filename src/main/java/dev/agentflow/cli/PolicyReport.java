package dev.agentflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.engine.policy.PolicyCheck;
import dev.agentflow.engine.policy.PolicySubject;
import dev.agentflow.engine.policy.PolicyViolation;
import dev.agentflow.engine.policy.WorkerPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The worker's start-of-run policy check, done by the command line before it submits a run (or in
 * {@code validate --config}), so a definition that names a secret or endpoint the worker does not
 * allow is reported at once instead of as a failed run.
 */
final class PolicyReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyReport() {}

  /**
   * @param checkModels false when every model answers offline (no model secret is read)
   */
  static List<PolicyViolation> check(WorkerPolicy policy, boolean checkModels, LoadedDefinition loaded) {
    try {
      return new PolicyCheck(policy, checkModels).check(PolicySubject.of(JSON.readTree(loaded.canonicalJson())));
    } catch (IOException e) {
      throw new UncheckedIOException("the canonical JSON did not parse", e);
    }
  }
}
