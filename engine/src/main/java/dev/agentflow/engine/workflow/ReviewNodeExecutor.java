package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.ReviewNode;

/**
 * The author → reviewer → author loop, bounded by {@code maxRounds}. Each round the author sees
 * {@code review.round}, {@code review.draft} (its previous draft) and {@code review.feedback}; the
 * reviewer sees the new draft. The loop stops at the first approved draft, which is never redone,
 * and nothing upstream of the node runs again.
 *
 * <p>Output: {@code {draft, approved, rounds, feedback, review}} where {@code review} is the last
 * reviewer output.
 */
final class ReviewNodeExecutor implements NodeExecutor<ReviewNode> {

  private final LlmNodeExecutor llm = new LlmNodeExecutor();

  @Override
  public NodeOutcome execute(ReviewNode node, RunContext context) {
    JsonNode draft = NullNode.getInstance();
    JsonNode feedback = NullNode.getInstance();
    JsonNode review = NullNode.getInstance();
    for (int round = 1; round <= node.maxRounds(); round++) {
      NodeOutcome written = llm.execute(node.author(), context.withReview(reviewScope(round, draft, feedback)));
      if (!(written instanceof NodeOutcome.Completed)) {
        return written;
      }
      draft = written.output();
      NodeOutcome judged = llm.execute(node.reviewer(), context.withReview(reviewScope(round, draft, feedback)));
      if (!(judged instanceof NodeOutcome.Completed)) {
        return judged;
      }
      review = judged.output();
      if (context.test(node.id(), "approved", node.approved(), review)) {
        context.state().noteOutcome("approved in round " + round);
        return new NodeOutcome.Completed(output(draft, true, round, feedback, review));
      }
      feedback = node.feedback() == null ? review : context.evaluate(node.id(), "feedback", node.feedback(), review);
    }
    ObjectNode output = output(draft, false, node.maxRounds(), feedback, review);
    if (node.onMaxRounds() != null) {
      return new NodeOutcome.Jump(output, node.onMaxRounds(), "not approved in " + node.maxRounds() + " rounds");
    }
    context.state().noteOutcome("not approved in " + node.maxRounds() + " rounds");
    return new NodeOutcome.Completed(output);
  }

  private static ObjectNode reviewScope(int round, JsonNode draft, JsonNode feedback) {
    ObjectNode review = RunContext.JSON.createObjectNode();
    review.put("round", round);
    review.set("draft", draft);
    review.set("feedback", feedback);
    return review;
  }

  private static ObjectNode output(JsonNode draft, boolean approved, int rounds, JsonNode feedback, JsonNode review) {
    ObjectNode output = RunContext.JSON.createObjectNode();
    output.set("draft", draft);
    output.put("approved", approved);
    output.put("rounds", rounds);
    output.set("feedback", feedback);
    output.set("review", review);
    return output;
  }
}
