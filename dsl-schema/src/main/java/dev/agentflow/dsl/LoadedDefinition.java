package dev.agentflow.dsl;

/**
 * A definition that passed every check, with its canonical JSON form (what a run is pinned to)
 * and that form's sha256.
 */
public record LoadedDefinition(GraphDefinition graph, String canonicalJson, String sha256) {}
