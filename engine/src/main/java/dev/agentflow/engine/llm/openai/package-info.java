/**
 * The OpenAI-compatible provider over langchain4j-open-ai. Only {@link
 * dev.agentflow.engine.llm.openai.OpenAiChatProvider} is public; the rest is plumbing with no
 * compatibility promise.
 */
package dev.agentflow.engine.llm.openai;
