package dev.agentflow.engine.config;

/** An engine configuration file or environment override that cannot be used; the message says where and why. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  public ConfigException(String message) {
    super(message);
  }
}
