package dev.agentflow.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A definition whose registered child graphs were pinned when its run started (the result of the
 * {@code PinSubgraphs} activity, recorded in the run's history).
 *
 * @param definition the definition with each {@code {ref}} child written as {@code {ref, pinned}}
 * @param children what each reference resolved to, in the order met
 */
public record PinnedDefinition(JsonNode definition, List<SubgraphReferences.Pin> children) {}
