package dev.agentflow.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A reference resolved to one deployed version: what a run started by reference records in its
 * history (the result of its {@code ResolveGraph} activity) and is pinned to from then on.
 *
 * @param reference the reference as the client wrote it
 * @param alias the alias the version came through, or null for {@code NAME:VERSION} and {@code NAME}
 * @param sha256 lower-case hex sha256 of the canonical JSON
 * @param definition the canonical definition (JSON), child graphs pinned (registered ones too)
 * @param children the registered child graphs ({@code {ref: …}}) pinned into it, in the order met
 */
public record ResolvedGraph(
    String reference, String name, int version, String sha256, String alias, JsonNode definition,
    List<SubgraphReferences.Pin> children) {

  public ResolvedGraph {
    children = children == null ? List.of() : List.copyOf(children);
  }
}
