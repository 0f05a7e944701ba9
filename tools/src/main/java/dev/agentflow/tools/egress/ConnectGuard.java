package dev.agentflow.tools.egress;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Called right before every socket of an egress client connects, after the address was checked.
 * Workers use {@link #NONE}; tests install one that records the attempt and refuses anything outside
 * loopback, so a broken policy could never send traffic off the machine.
 */
@FunctionalInterface
public interface ConnectGuard {

  ConnectGuard NONE = target -> {};

  /**
   * @throws IOException to stop the connection
   */
  void beforeConnect(InetSocketAddress target) throws IOException;
}
