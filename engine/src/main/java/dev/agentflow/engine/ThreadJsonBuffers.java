package dev.agentflow.engine;

import com.fasterxml.jackson.core.util.BufferRecyclers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets go of the JSON buffers Jackson keeps per thread for code whose mapper agentflow cannot
 * configure.
 *
 * <p>agentflow's own mappers and its payload converter share one buffer pool ({@code JsonMappers},
 * {@link PayloadJson}), but the Temporal SDK converts search attributes with its own fixed
 * converter, which keeps a set of buffers (~15 KB) per thread that used it; every run upserts its
 * node, on its own workflow thread, so every cached run kept a set. Jackson can track those
 * per-thread buffers (a system property read once, when it first hands one out) and drop them all
 * at once ({@link BufferRecyclers#releaseBuffers()}); a thread that needs buffers again after that
 * simply gets new ones. A worker drops them every {@link #EVERY}: a parked run holds none for
 * longer than that.
 */
public final class ThreadJsonBuffers {

  /** How often the worker drops the per-thread buffers. */
  public static final Duration EVERY = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(ThreadJsonBuffers.class);
  private static final AtomicBoolean RELEASING = new AtomicBoolean();

  private ThreadJsonBuffers() {}

  /**
   * Asks Jackson to track its per-thread buffers, unless the property was set already: effective
   * only when called before Jackson hands out its first per-thread buffer, so a worker calls it
   * first thing.
   */
  public static void track() {
    if (System.getProperty(BufferRecyclers.SYSTEM_PROPERTY_TRACK_REUSABLE_BUFFERS) == null) {
      System.setProperty(BufferRecyclers.SYSTEM_PROPERTY_TRACK_REUSABLE_BUFFERS, "true");
    }
  }

  /**
   * Drops the tracked per-thread buffers now.
   *
   * @return how many threads' buffers were dropped, or -1 when Jackson does not track them (it
   *     handed out buffers before {@link #track()})
   */
  public static int release() {
    return BufferRecyclers.releaseBuffers();
  }

  /** Starts the daemon thread that drops them every {@link #EVERY} (once per process). */
  public static void startReleasing() {
    track();
    if (!RELEASING.compareAndSet(false, true)) {
      return;
    }
    Thread releaser = new Thread(ThreadJsonBuffers::releaseForever, "agentflow-json-buffers");
    releaser.setDaemon(true);
    releaser.start();
  }

  private static void releaseForever() {
    try {
      while (true) {
        Thread.sleep(EVERY.toMillis());
        if (release() < 0) {
          LOG.info("Jackson does not track its per-thread buffers (something used them before the worker started):"
              + " each cached run keeps its own, ~15 KB; start the JVM with -D{}=true to drop them",
              BufferRecyclers.SYSTEM_PROPERTY_TRACK_REUSABLE_BUFFERS);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
