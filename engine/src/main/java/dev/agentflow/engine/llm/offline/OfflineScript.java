package dev.agentflow.engine.llm.offline;

import java.util.List;
import java.util.Map;

/**
 * The scripted replies for one graph, by node id.
 *
 * @param graph the graph it answers for
 * @param replies node id → replies in call order (the last repeats)
 * @param source where the script came from, for error messages
 */
public record OfflineScript(String graph, Map<String, List<ScriptedReply>> replies, String source) {

  public OfflineScript {
    replies = Map.copyOf(replies);
  }
}
