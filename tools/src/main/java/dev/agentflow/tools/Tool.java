package dev.agentflow.tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A side effect an agent may call. Implementations are found with {@link java.util.ServiceLoader}
 * (list them in {@code META-INF/services/dev.agentflow.tools.Tool}), run inside a Temporal
 * activity, and may therefore be retried: make them idempotent or say so in {@link #description}.
 */
public interface Tool {

  /** Unique name used in definitions ({@code tools: [http_get]}) and shown to the model. */
  String name();

  /** What the tool does, written for the model. */
  String description();

  /** JSON Schema (an object schema) of the arguments, shown to the model. */
  JsonNode parametersSchema();

  /**
   * Runs the tool.
   *
   * @return the result as JSON (a string, object, …)
   * @throws ToolException when the call failed in a way the caller should see
   */
  JsonNode call(ToolContext context) throws ToolException;
}
