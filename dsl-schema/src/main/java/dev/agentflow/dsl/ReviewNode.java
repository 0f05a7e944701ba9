package dev.agentflow.dsl;

import java.util.ArrayList;
import java.util.List;

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

  @Override
  public List<Target> targets() {
    return Target.all(transitions.targets(), Target.conditional("onMaxRounds", onMaxRounds));
  }

  /** The author's and reviewer's templates (with {@code review} in scope), approved and feedback. */
  @Override
  public List<ExpressionSite> expressions() {
    List<ExpressionSite> sites = new ArrayList<>();
    author.expressions().forEach(site -> sites.add(site.under("/author")));
    reviewer.expressions().forEach(site -> sites.add(site.under("/reviewer")));
    sites.addAll(ExpressionSite.expression("approved", approved));
    sites.addAll(ExpressionSite.expression("feedback", feedback));
    sites.addAll(transitions.expressions());
    return List.copyOf(sites);
  }

  @Override
  public List<NameRef> references() {
    List<NameRef> refs = new ArrayList<>();
    author.references().forEach(ref -> refs.add(ref.under("/author")));
    reviewer.references().forEach(ref -> refs.add(ref.under("/reviewer")));
    return List.copyOf(refs);
  }

  @Override
  public List<SchemaSite> schemas() {
    List<SchemaSite> sites = new ArrayList<>();
    author.schemas().forEach(site -> sites.add(site.under("/author")));
    reviewer.schemas().forEach(site -> sites.add(site.under("/reviewer")));
    return List.copyOf(sites);
  }
}
