package dev.agentflow.engine.registry;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.List;

/**
 * A unified diff of two definitions in their canonical form written as YAML (keys sorted, child
 * graphs pinned), so two versions compare by what they mean, not how their files were laid out.
 */
public final class DefinitionDiff {

  private static final ObjectMapper YAML = new ObjectMapper(
      JsonMappers.yamlFactoryBuilder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build());

  private DefinitionDiff() {}

  /** The canonical YAML of a definition. */
  public static String canonicalYaml(JsonNode definition) {
    try {
      return YAML.writeValueAsString(definition);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a definition as YAML: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * @return the unified diff with 3 lines of context, empty when both are the same
   */
  public static String unified(String fromLabel, JsonNode from, String toLabel, JsonNode to) {
    List<String> original = canonicalYaml(from).lines().toList();
    List<String> revised = canonicalYaml(to).lines().toList();
    List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(fromLabel, toLabel, original, DiffUtils.diff(original, revised), 3);
    return diff.isEmpty() ? "" : String.join("\n", diff) + "\n";
  }
}
