package dev.agentflow.dsl;

/**
 * One routing choice.
 *
 * @param when JS expression that selects this route when truthy, or null for the default route
 * @param to target node id
 */
public record Route(String when, String to) {}
