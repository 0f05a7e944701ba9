package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems of one definition, turning JSON pointers into line:column through the
 * definition's {@link SourceMap}. Checks add to it and never stop at the first problem. The
 * pointer a problem carries is the one in the text (a child graph's pointer seen from its parent).
 */
public final class ProblemCollector {

  private final String file;
  private final SourceMap sourceMap;
  private final List<Problem> problems = new ArrayList<>();

  public ProblemCollector(String file, SourceMap sourceMap) {
    this.file = file;
    this.sourceMap = sourceMap;
  }

  /** A problem with the value at {@code pointer}, located at the start of the value. */
  public void atValue(String pointer, String message) {
    add(pointer, sourceMap.valueAt(pointer), message);
  }

  /** A problem with a whole entry (a node, a property), located at its key. */
  public void atKey(String pointer, String message) {
    add(pointer, sourceMap.keyAt(pointer), message);
  }

  /** A problem at character {@code offset} of the string {@code value} at {@code pointer}. */
  public void inside(String pointer, String value, int offset, String message) {
    add(pointer, sourceMap.inside(pointer, value, offset), message);
  }

  public void addAll(List<Problem> more) {
    problems.addAll(more);
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  /** Everything collected, in the order it was found. */
  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  private void add(String pointer, SourcePosition position, String message) {
    problems.add(new Problem(file, position.line(), position.column(), sourceMap.inText(pointer),
        message));
  }
}
