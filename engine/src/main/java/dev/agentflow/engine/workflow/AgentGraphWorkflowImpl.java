package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.Problem;
import dev.agentflow.engine.expr.ExpressionSandbox;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Random;

/**
 * The interpreter: walks a validated graph node by node. It owns the loop and the state; every side
 * effect is an activity. Deterministic by construction: time and randomness come from {@link
 * Workflow}, state lives in sorted maps, expressions run in a sandbox fed by workflow time and
 * randomness.
 */
public class AgentGraphWorkflowImpl implements AgentGraphWorkflow {

  private final NodeExecutors executors = new NodeExecutors();
  private final boolean searchAttributesAllowed;
  private GraphDefinition graph;
  private RunState state;
  private Inbox inbox;

  /** A run that upserts its search attributes (what replay tests and plain registration use). */
  public AgentGraphWorkflowImpl() {
    this(true);
  }

  /**
   * @param searchAttributesAllowed false on a worker whose namespace lacks the search attributes
   *     or whose config turns them off; recorded in the run's history ({@link RunSearchAttributes})
   */
  public AgentGraphWorkflowImpl(boolean searchAttributesAllowed) {
    this.searchAttributesAllowed = searchAttributesAllowed;
  }

  @Override
  public RunResult run(RunRequest request) {
    RunOptions options = request.options() == null ? RunOptions.defaults() : request.options();
    LoadedDefinition loaded = DefinitionSource.load(request.definition(), options.effectiveSourceName());
    graph = loaded.graph();
    RunSearchAttributes searchAttributes = RunSearchAttributes.forRun(graph, searchAttributesAllowed);
    checkInput(request.input());
    WorkerPolicyCheck.atRunStart(loaded);
    state = new RunState(request.input(), runInfo(loaded));
    inbox = new Inbox(state, Inbox.eventsOf(graph, options.budgetLimit()));
    inbox.register();
    RunVersions versions = new RunVersions();
    if (versions.liveEvents()) {
      state.events().enable(graph.name() + " v" + graph.version());
    }
    BudgetLedger budget = new BudgetLedger(graph, options.budgetLimit(), state, inbox, versions);
    Continuation continuation = new Continuation(request, options, state, inbox, budget);
    RunEnding ending = new RunEnding(graph, state, budget, versions);

    Random random = Workflow.newRandom();
    try (ExpressionSandbox sandbox = new ExpressionSandbox(Workflow::currentTimeMillis, random::nextDouble)) {
      RunContext context =
          new RunContext(graph, state, sandbox, inbox, budget, versions).withContinuation(continuation);
      RunResult result = interpret(context, continuation, searchAttributes, options.effectiveMaxSteps(), ending);
      if (ending.cancelled()) {
        throw ending.cancel();
      }
      return result;
    } catch (RuntimeException e) {
      throw ending.ended(e);
    }
  }

  private RunResult interpret(
      RunContext context,
      Continuation continuation,
      RunSearchAttributes searchAttributes,
      int maxSteps,
      RunEnding ending) {
    String current = continuation.startNode(graph.start());
    boolean first = true;
    while (true) {
      if (ending.cancelled()) {
        throw ending.cancelBefore(current);
      }
      if (!first && continuation.due()) {
        continuation.continueAt(current, null);
      }
      first = false;
      if (state.steps() >= maxSteps) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the run executed " + maxSteps + " nodes without reaching an end node (last: '" + current + "')",
            FailureTypes.STEP_LIMIT_EXCEEDED);
      }
      Node node = graph.node(current);
      state.setCurrentNode(current);
      boolean resumed = continuation.resumesInside(current);
      int visit = resumed ? state.visits(current) : state.visit(current);
      searchAttributes.nodeStarted(current, state.usage());
      state.nodeStarted(Workflow.currentTimeMillis());
      if (!resumed) {
        state.events().nodeStarted(current, node.kind(), visit);
      }
      NodeOutcome outcome = executors.execute(node, context);
      String next = nextNode(node, outcome, context);
      // a node resumed after continue-as-new started in an earlier run: its entry covers all of it
      long startedAt = state.nodeStartedAt();
      long duration = Workflow.currentTimeMillis() - startedAt;
      state.addTrace(
          new TraceEntry(
              state.steps() + 1,
              node.id(),
              node.kind(),
              visit,
              startedAt,
              duration,
              state.nodeUsage().inputTokens(),
              state.nodeUsage().outputTokens(),
              outcome instanceof NodeOutcome.Jump jump ? jump.reason() : state.nodeNote() != null ? state.nodeNote() : "ok",
              next));
      if (outcome instanceof NodeOutcome.Finished) {
        state.setCurrentNode(null);
        return new RunResult(LargeOutputs.byReferenceIfLarge(node.id(), outcome.output()), state.usage(), state.trace());
      }
      current = next;
    }
  }

  /** Records the output, applies {@code set}, and picks the next node. */
  private String nextNode(Node node, NodeOutcome outcome, RunContext context) {
    if (outcome instanceof NodeOutcome.Finished) {
      return null;
    }
    state.setOutput(node.id(), outcome.output());
    if (outcome instanceof NodeOutcome.Jump jump) {
      return jump.target();
    }
    return Router.route(node, outcome.output(), context);
  }

  private void checkInput(JsonNode input) {
    List<Problem> problems = DefinitionSource.checkInput(graph, input);
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the input does not match the input schema of '" + graph.name() + "':\n"
              + new DefinitionException(problems).getMessage(),
          FailureTypes.INVALID_INPUT);
    }
  }

  private ObjectNode runInfo(LoadedDefinition loaded) {
    ObjectNode run = RunContext.JSON.createObjectNode();
    run.put("id", Workflow.getInfo().getWorkflowId());
    run.put("runId", Workflow.getInfo().getRunId());
    run.put("graph", loaded.graph().name());
    run.put("version", loaded.graph().version());
    run.put("sha256", loaded.sha256());
    return run;
  }

  @Override
  public RunEventsPage events(long fromOffset) {
    return state == null ? RunEventsPage.empty(fromOffset) : state.events().page(fromOffset);
  }

  @Override
  public Progress progress() {
    if (graph == null || state == null) {
      return new Progress(null, 0, null, List.of(), null, null);
    }
    return new Progress(
        graph.name(), graph.version(), state.currentNode(), state.trace(), state.usage(), inbox.waitingFor());
  }
}
