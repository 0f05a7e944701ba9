package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;
import java.util.concurrent.atomic.AtomicInteger;

/** Tools for interpreter tests: one that always fails, one with a large result, one that counts. */
final class TestTools {

  private TestTools() {}

  static final JsonNode OBJECT_SCHEMA =
      JsonNodeFactory.instance.objectNode().put("type", "object").set("properties", JsonNodeFactory.instance.objectNode());

  /** Always throws a non-retryable error with the given message. */
  static Tool failing(String name, String message) {
    return new Simple(name) {
      @Override
      public JsonNode call(ToolContext context) throws ToolException {
        calls.incrementAndGet();
        throw ToolException.nonRetryable("ToolBroke", message, null);
      }
    };
  }

  /** Returns a string of {@code bytes} characters. */
  static Simple large(String name, int bytes) {
    return new Simple(name) {
      @Override
      public JsonNode call(ToolContext context) {
        int call = calls.incrementAndGet();
        StringBuilder text = new StringBuilder(bytes);
        String unit = "result " + call + " ";
        while (text.length() < bytes) {
          text.append(unit);
        }
        text.setLength(bytes);
        return TextNode.valueOf(text.toString());
      }
    };
  }

  /** Returns its arguments and counts calls. */
  static Simple counting(String name) {
    return new Simple(name) {
      @Override
      public JsonNode call(ToolContext context) {
        calls.incrementAndGet();
        return context.arguments();
      }
    };
  }

  /** Sleeps {@code ms} milliseconds, fails when {@code fail} is true, and records peak concurrency. */
  static Probe probe(String name) {
    return new Probe(name);
  }

  static final class Probe extends Simple {
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    Probe(String name) {
      super(name);
    }

    @Override
    public JsonNode call(ToolContext context) throws ToolException {
      calls.incrementAndGet();
      int now = running.incrementAndGet();
      peak.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(context.arguments().path("ms").asLong(0));
        if (context.arguments().path("fail").asBoolean(false)) {
          throw ToolException.nonRetryable("ProbeFailed", "asked to fail", null);
        }
        return context.arguments();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ToolException.retryable("Interrupted", "interrupted", e);
      } finally {
        running.decrementAndGet();
      }
    }

    int peak() {
      return peak.get();
    }
  }

  abstract static class Simple implements Tool {
    final AtomicInteger calls = new AtomicInteger();
    private final String name;

    Simple(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String description() {
      return "test tool " + name;
    }

    @Override
    public JsonNode parametersSchema() {
      return OBJECT_SCHEMA;
    }

    int calls() {
      return calls.get();
    }
  }
}
