package dev.agentflow.engine.llm.openai;

/**
 * Removes a secret from text before it goes into an exception: providers sometimes echo the key
 * back in error bodies ("Incorrect API key provided: sk-…").
 */
record SecretRedactor(String secret) {

  private static final int MIN_SECRET_LENGTH = 4;

  String redact(String text) {
    if (text == null || secret == null || secret.length() < MIN_SECRET_LENGTH) {
      return text;
    }
    return text.replace(secret, "***");
  }

  @Override
  public String toString() {
    return "SecretRedactor[***]";
  }
}
