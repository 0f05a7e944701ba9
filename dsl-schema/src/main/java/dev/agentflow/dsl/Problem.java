package dev.agentflow.dsl;

/**
 * One thing wrong with a definition or an input, with where it is.
 *
 * @param file source name (path or "&lt;input&gt;")
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param pointer JSON pointer of the offending value ("" for the document)
 * @param message what is wrong and what was expected
 */
public record Problem(String file, int line, int column, String pointer, String message) {

  /** Longest message kept whole; a longer one (it quotes a huge value) keeps its start and end. */
  static final int MAX_MESSAGE_LENGTH = 1000;

  public Problem {
    if (message != null && message.length() > MAX_MESSAGE_LENGTH) {
      message = message.substring(0, 600) + " … " + message.substring(message.length() - 300);
    }
  }

  @Override
  public String toString() {
    String where = line > 0 ? file + ":" + line + ":" + column : file;
    return where + ": " + message + (pointer.isEmpty() ? "" : " (at " + shortened(pointer) + ")");
  }

  /** A pointer through a huge key is shown by its start: the line:column already says where. */
  private static String shortened(String pointer) {
    return pointer.length() <= 200 ? pointer : pointer.substring(0, 200) + "…";
  }
}
