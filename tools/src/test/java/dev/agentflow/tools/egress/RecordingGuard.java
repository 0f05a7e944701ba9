package dev.agentflow.tools.egress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A connect guard for tests: records every connection attempt and stops any that would leave
 * loopback, so no test can send traffic off the machine even if the policy under test were broken.
 */
final class RecordingGuard implements ConnectGuard {

  final List<InetSocketAddress> attempts = new CopyOnWriteArrayList<>();

  @Override
  public void beforeConnect(InetSocketAddress target) throws IOException {
    attempts.add(target);
    if (!target.getAddress().isLoopbackAddress()) {
      throw new IOException("test guard: a connection to " + target + " was attempted");
    }
  }
}
