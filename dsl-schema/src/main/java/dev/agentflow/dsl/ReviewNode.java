package dev.agentflow.dsl;

/**
 * A bounded author/reviewer loop: the author drafts, the reviewer judges, the author revises with
 * the reviewer's feedback until {@code approved} holds or {@code maxRounds} drafts were written.
 * An approved draft is never redone.
 *
 * @param author the author's model call (id {@code <node>.author}); its templates see {@code review}
 * @param reviewer the reviewer's model call (id {@code <node>.reviewer})
 * @param approved JS expression over the reviewer's {@code output}: true ends the loop
 * @param feedback JS expression over the reviewer's {@code output} giving the feedback for the next
 *     draft, or null for the whole reviewer output
 * @param maxRounds most drafts written (default 3)
 * @param onMaxRounds node to go to when no draft was approved, or null to continue with
 *     next/routes (the output says {@code approved: false})
 */
public record ReviewNode(
    String id,
    LlmNode author,
    LlmNode reviewer,
    String approved,
    String feedback,
    int maxRounds,
    String onMaxRounds,
    Transitions transitions)
    implements Node {

  public static final int DEFAULT_MAX_ROUNDS = 3;

  @Override
  public String kind() {
    return "review";
  }
}
