package dev.agentflow.engine.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Output of one tool activity. A small result comes back inline; a large one is stored in the blob
 * store and only its reference, size and a short preview come back.
 *
 * @param value the result, or null when stored by reference
 * @param valueRef blob reference of the JSON result, or null when inline
 * @param sizeBytes size of the JSON result
 * @param preview at most a few hundred characters of the result, for traces and expressions
 */
public record ToolCallResult(JsonNode value, String valueRef, long sizeBytes, String preview) {}
