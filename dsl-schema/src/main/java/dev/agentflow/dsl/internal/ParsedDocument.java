package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Problem;
import java.util.List;

/**
 * The result of reading a definition's text: the tree (null when the text could not be read at
 * all), where each of its values is, and the syntax problems found on the way.
 */
public record ParsedDocument(JsonNode root, SourceMap sourceMap, List<Problem> problems) {

  public ParsedDocument {
    problems = List.copyOf(problems);
  }
}
