package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.Problem;
import java.util.List;

/**
 * Parses the text of a definition that was validated before, for binding only: the same format
 * rule as {@link DocumentReader} (JSON for a {@code .json} name or text starting with '{', else
 * YAML) and the same tree for any text that reader accepted, without its positions, duplicate-key
 * report or limits. Whatever those checks become, a run that passed them once binds the same way.
 */
final class PinnedText {

  private static final ObjectMapper JSON = JsonMappers.json();
  private static final ObjectMapper YAML = JsonMappers.yaml();

  private PinnedText() {}

  static JsonNode parse(String text, String sourceName) {
    try {
      JsonNode root = (DocumentReader.isJson(text, sourceName) ? JSON : YAML).readTree(text);
      if (root == null || root.isMissingNode()) {
        throw unreadable(sourceName, "the definition is empty");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw unreadable(sourceName, "the definition does not parse: " + e.getOriginalMessage());
    }
  }

  private static DefinitionException unreadable(String sourceName, String message) {
    return new DefinitionException(List.of(new Problem(sourceName, 0, 0, "", message)));
  }
}
