package dev.agentflow.engine.registry;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Resolves a run's graph reference against the worker's registry, once, when the run starts: the
 * result ({@link ResolvedGraph}: name, version, sha256, alias and the definition) is recorded in the
 * run's history, so the run stays pinned to that content whatever the alias does later.
 */
@ActivityInterface
public interface RegistryActivities {

  /** Activity type name, stable across releases (recorded histories depend on it). */
  String RESOLVE = "ResolveGraph";

  /**
   * @param reference {@code NAME@ALIAS}, {@code NAME:VERSION} or {@code NAME}
   * @param workflowId the run's workflow id, which picks the version of a weighted alias
   * @throws io.temporal.failure.ApplicationFailure non-retryable {@code GraphNotFound} (listing what
   *     exists) or {@code InvalidGraphReference}
   */
  @ActivityMethod(name = RESOLVE)
  ResolvedGraph resolve(String reference, String workflowId);

  /** Activity type name of {@link #pinSubgraphs}. */
  String PIN_SUBGRAPHS = "PinSubgraphs";

  /**
   * Pins the registered child graphs ({@code {ref: NAME@ALIAS}}) of a definition a run was started
   * with (YAML/JSON text or a JSON object).
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable {@code GraphNotFound} or {@code
   *     InvalidGraphReference}, as {@link #resolve}
   */
  @ActivityMethod(name = PIN_SUBGRAPHS)
  PinnedDefinition pinSubgraphs(com.fasterxml.jackson.databind.JsonNode definition, String workflowId);
}
