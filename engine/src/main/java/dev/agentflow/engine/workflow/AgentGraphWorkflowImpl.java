package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.Node;
import dev.agentflow.engine.expr.ExpressionSandbox;
import dev.agentflow.engine.expr.SandboxLimits;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Random;

/**
 * The interpreter: walks a validated graph node by node. It owns the loop and the state; every side
 * effect is an activity. Deterministic by construction: time and randomness come from {@link
 * Workflow}, state lives in sorted maps, expressions run in a sandbox fed by workflow time and
 * randomness. How a run starts (checks, binding, restoring a checkpoint, handlers) is {@link
 * RunStart}'s job.
 */
public class AgentGraphWorkflowImpl implements AgentGraphWorkflow {

  private final NodeExecutors executors = new NodeExecutors();
  private final StartValidator validator;
  private final boolean searchAttributesAllowed;
  private GraphDefinition graph;
  private RunState state;
  private Inbox inbox;

  /** With the standard start checks, upserting search attributes: what replay tests and plain registration use. */
  public AgentGraphWorkflowImpl() {
    this(StartValidator.STANDARD, true);
  }

  /**
   * @param searchAttributesAllowed false on a worker whose namespace lacks the search attributes
   *     or whose config turns them off; recorded in the run's history ({@link RunSearchAttributes})
   */
  public AgentGraphWorkflowImpl(boolean searchAttributesAllowed) {
    this(StartValidator.STANDARD, searchAttributesAllowed);
  }

  /** With other start checks (a stricter policy); they run once per run, never on replay. */
  public AgentGraphWorkflowImpl(StartValidator validator) {
    this(validator, true);
  }

  public AgentGraphWorkflowImpl(StartValidator validator, boolean searchAttributesAllowed) {
    this.validator = validator;
    this.searchAttributesAllowed = searchAttributesAllowed;
  }

  /**
   * PINNED on versioned workers: {@link dev.agentflow.engine.WorkerVersioning} makes it the
   * default behaviour, so a run finishes on the build it started on. Not an annotation here: the
   * SDK then sends the behaviour from unversioned workers too, and the server refuses their
   * workflow tasks ("versioning behavior cannot be specified without deployment options").
   */
  @Override
  public RunResult run(RunRequest request) {
    RunStart.Started run = RunStart.begin(request, validator, searchAttributesAllowed, (graph, state, inbox) -> {
      this.graph = graph;
      this.state = state;
      this.inbox = inbox;
    });
    RunEnding ending = new RunEnding(graph, state, run.budget(), run.versions());
    Random random = Workflow.newRandom();
    SandboxLimits limits = ExpressionGuard.limitsFor(run.version());
    try (ExpressionSandbox sandbox = new ExpressionSandbox(Workflow::currentTimeMillis, random::nextDouble, limits)) {
      RunContext.Expressions expressions = new RunContext.Expressions(
          new ExpressionGuard(limits), run.version().readsReferencedOutputs() ? new ReferencedOutputs() : null);
      RunContext context = new RunContext(graph, state, sandbox, inbox, run.budget(), run.versions(), expressions)
          .withContinuation(run.continuation());
      RunResult result = interpret(context, run, ending);
      if (ending.cancelled()) {
        throw ending.cancel();
      }
      return result;
    } catch (RuntimeException e) {
      throw ending.ended(e);
    }
  }

  private RunResult interpret(RunContext context, RunStart.Started run, RunEnding ending) {
    Continuation continuation = run.continuation();
    int maxSteps = run.options().effectiveMaxSteps();
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
      if (state.stepsTowardLimit() >= maxSteps) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the run executed " + maxSteps + " nodes without reaching an end node (last: '" + current + "')",
            FailureTypes.STEP_LIMIT_EXCEEDED);
      }
      Node node = graph.node(current);
      state.setCurrentNode(current);
      boolean resumed = continuation.resumesInside(current);
      int visit = resumed ? state.visits(current) : state.visit(current);
      run.searchAttributes().nodeStarted(current, state.usage());
      state.nodeStarted(continuation.startedAt(current, Workflow.currentTimeMillis()));
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
        return new RunResult(
            LargeOutputs.byReferenceIfLarge(node.id(), outcome.output()), state.usage(), state.trace(), state.rejectedSignals());
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
        graph.name(), graph.version(), state.currentNode(), state.trace(), state.usage(), inbox.waitingFor(),
        state.rejectedSignals(), state.capacityWaits().waiting());
  }
}
