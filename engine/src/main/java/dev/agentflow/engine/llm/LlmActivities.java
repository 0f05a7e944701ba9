package dev.agentflow.engine.llm;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The generic LLM activity: any provider, any model, one call. */
@ActivityInterface
public interface LlmActivities {

  /** Activity type name, stable across releases (recorded histories depend on it). */
  String CALL_LLM = "CallLlm";

  @ActivityMethod(name = CALL_LLM)
  LlmCallResult callLlm(LlmCallRequest request);
}
