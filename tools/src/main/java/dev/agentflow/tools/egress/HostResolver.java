package dev.agentflow.tools.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses: the system resolver in a worker, a fixed table in tests (so a
 * test can make {@code internal.example} resolve to 10.0.0.5 and prove the refusal without any DNS
 * or traffic).
 */
@FunctionalInterface
public interface HostResolver {

  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  List<InetAddress> resolve(String host) throws UnknownHostException;
}
