package dev.agentflow.engine.policy;

import dev.agentflow.engine.llm.ProviderRegistry;
import dev.agentflow.engine.secret.SecretPolicy;
import dev.agentflow.tools.egress.EgressNarrowing;
import dev.agentflow.tools.egress.EgressRefusedException;
import dev.agentflow.tools.egress.EgressSession;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Checks a definition against a worker's policy before anything runs: every secret a model or tool
 * node names must be granted to its reader, and every model {@code baseUrl} the definition wrote must
 * pass the egress policy (its host resolved and each address checked) and, when it gets a key, be
 * named in that secret's {@code hosts}. Used by the start-of-run activity and by {@code agentflow
 * run|validate --config}. A host that does not resolve right now is left to the call, which checks
 * again (a DNS hiccup should not fail a run at its start).
 */
public final class PolicyCheck {

  private final WorkerPolicy policy;
  private final boolean checkModels;

  /**
   * @param checkModels false on a worker that answers every model offline (no model secret is ever
   *     read there)
   */
  public PolicyCheck(WorkerPolicy policy, boolean checkModels) {
    this.policy = policy;
    this.checkModels = checkModels;
  }

  /** Every violation, in definition order; empty when the worker allows everything asked. */
  public List<PolicyViolation> check(PolicySubject subject) {
    List<PolicyViolation> violations = new ArrayList<>();
    if (checkModels) {
      for (PolicySubject.ModelUse model : subject.models()) {
        checkModel(model, violations);
      }
    }
    for (PolicySubject.ToolSecretUse use : subject.toolSecrets()) {
      refusal(() -> policy.secrets().refuseForTool(use.reference(), use.tool()))
          .ifPresent(message -> violations.add(secret(use.where(), message)));
    }
    return violations;
  }

  private void checkModel(PolicySubject.ModelUse model, List<PolicyViolation> violations) {
    String provider = model.provider() == null ? ProviderRegistry.OPENAI : model.provider();
    if (!provider.equals(ProviderRegistry.OPENAI)) {
      return; // offline reads no secret and opens no connection; other names fail as UnknownProvider
    }
    String keyRef = model.apiKey() == null || model.apiKey().isBlank() ? "env:" + SecretPolicy.DEFAULT_PROVIDER_KEY : model.apiKey();
    refusal(() -> policy.secrets().refuseForProvider(keyRef, provider))
        .ifPresent(message -> violations.add(secret(model.where(), message)));
    if (policy.isOperatorEndpoint(model.baseUrl())) {
      return;
    }
    String host = checkEndpoint(model, violations);
    if (host != null) {
      refusal(() -> policy.secrets().refuseDefinitionEndpoint(keyRef, host))
          .ifPresent(message -> violations.add(secret(model.where(), message)));
    }
  }

  /** The endpoint's host when its URL is usable (refused or not), else null. */
  private String checkEndpoint(PolicySubject.ModelUse model, List<PolicyViolation> violations) {
    String where = model.where() + ", baseUrl " + model.baseUrl();
    EgressSession session;
    try {
      session = policy.egress().session(EgressNarrowing.of(model.egressAllow()));
    } catch (IllegalArgumentException e) {
      violations.add(new PolicyViolation(EgressRefusedException.TYPE, where + ": the definition's " + e.getMessage()));
      return null;
    }
    HttpUrl url;
    try {
      url = session.checkUrl(model.baseUrl());
    } catch (IllegalArgumentException e) {
      violations.add(new PolicyViolation(EgressRefusedException.TYPE, where + ": " + e.getMessage()));
      return null;
    } catch (EgressRefusedException e) {
      violations.add(new PolicyViolation(EgressRefusedException.TYPE, where + ": " + e.getMessage()));
      return HttpUrl.parse(model.baseUrl()) == null ? null : HttpUrl.parse(model.baseUrl()).host();
    }
    try {
      session.resolveChecked(url.host());
    } catch (EgressRefusedException e) {
      violations.add(new PolicyViolation(EgressRefusedException.TYPE, where + ": " + e.getMessage()));
    } catch (UnknownHostException notResolvableNow) {
      // the call resolves and checks again
    }
    return url.host();
  }

  private static PolicyViolation secret(String where, String message) {
    return new PolicyViolation(SecretPolicy.NOT_ALLOWED, where + ": " + message);
  }

  private static Optional<String> refusal(java.util.function.Supplier<Optional<String>> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }
}
