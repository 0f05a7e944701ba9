package dev.agentflow.cli;

import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.workflow.RunSearchAttributes;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server with an agentflow worker, for {@code agentflow run} with no address:
 * durable semantics and real activities, nothing to install. Time runs at wall-clock speed (no time
 * skipping), like a real server.
 *
 * <p>The server listens on a loopback port (never on other interfaces: it has no authentication),
 * so a run that waits for a person can be answered from another terminal with {@code agentflow
 * signal --address 127.0.0.1:PORT} or the stock {@code temporal workflow signal --address …}.
 * {@code TestServer.createPortBoundServer} would bind every interface and hide the port it got, so
 * the server is assembled here from the same public pieces of the test-server artifact
 * ({@link TestServicesStarter}, {@link GRPCServerHelper}); the search attributes runs upsert are
 * registered through the server's own operator API.
 */
final class EmbeddedTemporal implements AutoCloseable {

  /** The namespace the test server serves. */
  static final String NAMESPACE = "default";

  private static final String LOOPBACK = "127.0.0.1";

  private final TestServicesStarter services;
  private final Server server;
  private final WorkflowServiceStubs stubs;
  private final WorkerFactory factory;
  private final WorkflowClient client;
  private final McpServers mcp;

  private EmbeddedTemporal(TestServicesStarter services, Server server, WorkflowServiceStubs stubs,
      WorkflowClient client, WorkerFactory factory, McpServers mcp) {
    this.services = services;
    this.server = server;
    this.stubs = stubs;
    this.client = client;
    this.factory = factory;
    this.mcp = mcp;
  }

  /**
   * Starts the server on {@code port} of the loopback interface (0: any free port) and a worker.
   *
   * @throws UncheckedIOException when the port cannot be bound (its message names the address)
   * @throws McpServers.McpStartupException when an MCP server of the config cannot start
   */
  static EmbeddedTemporal start(EngineConfig config, String taskQueue, int port) {
    McpServers mcp = McpServers.start(config.settings().mcp(), config.secrets()::setting, config.policy().egress());
    TestServicesStarter services = new TestServicesStarter(true, 0);
    InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address);
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server;
    try {
      server = builder.build().start();
    } catch (IOException e) {
      services.close();
      mcp.close();
      throw new UncheckedIOException("cannot listen on " + address.getHostString() + ":" + port
          + " for the embedded Temporal server: " + e.getMessage(), e);
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target(server.getPort())).build());
    registerSearchAttributes(stubs);
    WorkflowClient client = WorkflowClient.newInstance(stubs,
        WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
    WorkerFactory factory = AgentflowWorkers.newFactory(client, config.settings());
    AgentflowWorkers.register(factory, taskQueue, config, mcp);
    factory.start();
    return new EmbeddedTemporal(services, server, stubs, client, factory, mcp);
  }

  private static void registerSearchAttributes(WorkflowServiceStubs stubs) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder(stubs.getOptions()).build());
    try {
      operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
          .setNamespace(NAMESPACE).putAllSearchAttributes(RunSearchAttributes.definitions()).build());
    } finally {
      operator.shutdown();
    }
  }

  private static String target(int port) {
    return LOOPBACK + ":" + port;
  }

  /** Where other processes reach this server: {@code 127.0.0.1:PORT}. */
  String address() {
    return target(server.getPort());
  }

  WorkflowClient client() {
    return client;
  }

  /** Worker first, then the client, then the server, then its services: each waits for the one before. */
  @Override
  public void close() {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    stubs.shutdownNow();
    stubs.awaitTermination(10, TimeUnit.SECONDS);
    server.shutdown();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    services.close();
    mcp.close();
  }
}
