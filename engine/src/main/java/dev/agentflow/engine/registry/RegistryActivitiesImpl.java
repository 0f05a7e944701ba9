package dev.agentflow.engine.registry;

import io.temporal.failure.ApplicationFailure;

/** {@link RegistryActivities} on a worker's registry; a worker without one refuses every reference. */
public final class RegistryActivitiesImpl implements RegistryActivities {

  /** The failure type of a reference sent to a worker that has no registry. */
  public static final String NO_REGISTRY = "NoGraphRegistry";

  private final GraphRegistry registry;

  /** @param registry the worker's registry, or null when it has none */
  public RegistryActivitiesImpl(GraphRegistry registry) {
    this.registry = registry;
  }

  @Override
  public PinnedDefinition pinSubgraphs(com.fasterxml.jackson.databind.JsonNode definition, String workflowId) {
    if (registry == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "this worker has no graph registry, so it cannot pin the registered child graphs "
              + SubgraphReferences.unpinned(definition), NO_REGISTRY);
    }
    try {
      return registry.pinSubgraphs(definition, workflowId);
    } catch (RegistryException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.type());
    }
  }

  @Override
  public ResolvedGraph resolve(String reference, String workflowId) {
    if (registry == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "this worker has no graph registry, so it cannot start a run from '" + reference + "'", NO_REGISTRY);
    }
    GraphReference parsed;
    try {
      parsed = GraphReference.parse(reference);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), RegistryException.INVALID_REFERENCE);
    }
    try {
      return registry.resolve(parsed, workflowId);
    } catch (RegistryException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.type());
    }
  }
}
