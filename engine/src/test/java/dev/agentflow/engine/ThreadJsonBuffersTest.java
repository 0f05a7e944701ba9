package dev.agentflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.BufferRecyclers;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A thread that wrote JSON through a mapper agentflow cannot configure (Jackson's per-thread
 * default, as the Temporal SDK's search-attribute converter does) and then parks, as a cached
 * run's workflow thread does, keeps its buffers only until the worker drops them. The engine's
 * test JVM starts with Jackson's tracking on (engine/pom.xml), as {@link ThreadJsonBuffers#track()}
 * arranges in a worker.
 */
class ThreadJsonBuffersTest {

  @Test
  void should_drop_the_buffers_a_parked_thread_keeps_when_released() throws Exception {
    BufferRecycler[] seen = buffersAcross(ThreadJsonBuffers::release);

    assertThat(seen[1]).isNotSameAs(seen[0]);
  }

  @Test
  void should_leave_a_threads_buffers_alone_without_a_release() throws Exception {
    BufferRecycler[] seen = buffersAcross(() -> 0);

    assertThat(seen[1]).isSameAs(seen[0]);
  }

  /** The buffers a parked thread sees before and after {@code whileParked}. */
  private static BufferRecycler[] buffersAcross(java.util.function.IntSupplier whileParked) throws Exception {
    BufferRecycler[] seen = new BufferRecycler[2];
    CountDownLatch wrote = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread run = new Thread(() -> {
      try {
        write();
        seen[0] = BufferRecyclers.getBufferRecycler();
        wrote.countDown();
        resume.await();
        seen[1] = BufferRecyclers.getBufferRecycler();
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    run.start();
    wrote.await();
    whileParked.getAsInt();
    resume.countDown();
    run.join();
    assertThat(failure.get()).isNull();
    return seen;
  }

  private static void write() {
    try {
      new ObjectMapper().writeValueAsBytes(Map.of("node", "approval"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
