package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.expr.ExpressionSandbox;

/**
 * Exercises the definition loader and the expression sandbox once, outside any workflow, when a
 * worker starts. The first use of each costs hundreds of milliseconds in a cold JVM; paid here it
 * never counts against a workflow task's deadlock timeout.
 */
public final class Warmup {

  private static final String DEFINITION =
      String.join(
          "\n",
          "apiVersion: agentflow/v1",
          "name: warmup",
          "version: 1",
          "input: {type: object}",
          "models: {m: {provider: offline, model: warmup}}",
          "start: ask",
          "nodes:",
          "  ask: {kind: llm, model: m, prompt: 'hello ${input.name}', routes: [{when: 'output.length > 1', to: done}, {to: done}]}",
          "  done: {kind: end, output: '({answer: nodes.ask.output})'}",
          "");

  private static boolean done;

  private Warmup() {}

  /** Warms up once per JVM; later calls (and calls while another thread warms up) wait for that one. */
  public static synchronized void run() {
    if (done) {
      return;
    }
    DefinitionSource.load(TextNode.valueOf(DEFINITION), "<warmup>");
    ExpressionSandbox.warmUp();
    done = true;
  }
}
