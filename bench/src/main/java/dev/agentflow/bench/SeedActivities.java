package dev.agentflow.bench;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The seed's two activities: the model gets the whole message list by value on every call. */
@ActivityInterface
public interface SeedActivities {

  Seed.LlmResponse callLlm(List<Seed.Message> messages);

  Seed.ToolResult executeTool(Seed.ToolCall call);
}
