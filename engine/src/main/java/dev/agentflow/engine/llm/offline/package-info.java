/**
 * The offline provider: scripted replies for demos and tests without a model key. The script file
 * format is documented on {@link dev.agentflow.engine.llm.offline.ScriptLibrary}.
 */
package dev.agentflow.engine.llm.offline;
