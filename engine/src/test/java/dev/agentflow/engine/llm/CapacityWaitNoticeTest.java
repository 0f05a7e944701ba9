package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.ActivityHeartbeat;
import dev.agentflow.engine.llm.admission.CapacityWait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a model call that waits for its pool's capacity tells its run, and what it says. */
class CapacityWaitNoticeTest {

  private final List<CapacityWait> told = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong();

  private static LlmCallRequest request(Boolean reportCapacityWait) {
    return new LlmCallRequest("graph", "write", 2, "smart", null, null, List.of(), List.of(), null, null, null, null,
        null, reportCapacityWait);
  }

  private CapacityWaitNotice notice(Boolean reportCapacityWait) {
    return new CapacityWaitNotice(request(reportCapacityWait), ActivityHeartbeat.start(), told::add, nanos::get,
        Duration.ofSeconds(1));
  }

  private void after(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  @Test
  void should_tell_the_run_nothing_when_the_call_is_admitted_within_the_report_delay() {
    CapacityWaitNotice notice = notice(true);

    notice.accept("waiting for capacity in pool 'openai'");
    after(Duration.ofMillis(900));
    notice.accept("waiting for capacity in pool 'openai'");
    notice.over();

    assertThat(told).isEmpty();
  }

  @Test
  void should_tell_the_run_once_when_the_wait_passes_the_delay_and_again_when_admitted() {
    CapacityWaitNotice notice = notice(true);

    notice.accept("3 call(s) ahead");
    after(Duration.ofSeconds(1));
    notice.accept("2 call(s) ahead");
    after(Duration.ofSeconds(1));
    notice.accept("1 call(s) ahead");
    notice.over();

    assertThat(told).containsExactly(new CapacityWait("write#2", "2 call(s) ahead"), new CapacityWait("write#2", null));
  }

  @Test
  void should_tell_a_run_of_an_older_build_nothing_however_long_the_wait() {
    CapacityWaitNotice notice = notice(null);

    notice.accept("waiting");
    after(Duration.ofMinutes(5));
    notice.accept("waiting");
    notice.over();

    assertThat(told).isEmpty();
  }
}
