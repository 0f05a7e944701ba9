/**
 * How a definition is read, checked and bound: source positions, schema messages, graph checks,
 * canonical form. Used by {@link dev.agentflow.dsl.DefinitionLoader} and {@link
 * dev.agentflow.dsl.InputValidator}.
 *
 * <p>No compatibility promise: anything here may change or disappear without notice. Depend on the
 * {@code dev.agentflow.dsl} package instead.
 */
package dev.agentflow.dsl.internal;
