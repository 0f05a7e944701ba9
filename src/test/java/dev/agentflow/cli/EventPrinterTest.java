package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.workflow.RunEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code agentflow run} and {@code agentflow watch} print a run's live events. */
class EventPrinterTest {

  private final StringWriter text = new StringWriter();
  private final EventPrinter printer = new EventPrinter(new PrintWriter(text), true);

  private static RunEvent event(String type, String node, String name, String detail) {
    return new RunEvent(0, 0, type, node, name, detail, null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void should_print_a_call_waiting_for_capacity_under_its_node_without_counting_a_step() {
    printer.print(List.of(event(RunEvent.MODEL_WAITING, "ask", null,
        "waiting for capacity in pool 'openai': 292 tokens, 3 call(s) ahead, limits 6000 tokens per minute")));

    assertThat(text.toString())
        .isEqualTo("      ↳ waiting for capacity in pool 'openai': 292 tokens, 3 call(s) ahead, limits 6000 tokens per minute"
            + System.lineSeparator());
    assertThat(printer.steps()).isZero();
  }
}
