package dev.agentflow.cli;

import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.workflow.RunSearchAttributes;
import dev.agentflow.engine.workflow.Warmup;
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
    return serve(listen(port), config, taskQueue);
  }

  /**
   * The server half: listening on {@code port} of the loopback interface (0: any free port) with
   * agentflow's search attributes, no worker yet. {@code agentflow run} starts it while it checks
   * the definition, then {@link #serve}s it.
   *
   * @throws UncheckedIOException when the port cannot be bound (its message names the address)
   */
  static Listening listen(int port) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address);
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server;
    try {
      server = builder.build().start();
      StartupTimings.mark("embedded server listening");
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException("cannot listen on " + address.getHostString() + ":" + port
          + " for the embedded Temporal server: " + e.getMessage(), e);
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target(server.getPort())).build());
    Listening listening = new Listening(services, server, stubs);
    try {
      registerSearchAttributes(stubs);
    } catch (RuntimeException e) {
      listening.close();
      throw e;
    }
    StartupTimings.mark("search attributes registered");
    return listening;
  }

  /**
   * Serves {@code listening} with a worker of {@code config} on {@code taskQueue}; closes it when
   * the worker cannot start.
   *
   * @throws McpServers.McpStartupException when an MCP server of the config cannot start
   */
  static EmbeddedTemporal serve(Listening listening, EngineConfig config, String taskQueue) {
    McpServers mcp;
    try {
      mcp = McpServers.start(config.settings().mcp(), config.secrets()::setting, config.policy().egress());
    } catch (RuntimeException e) {
      listening.close();
      throw e;
    }
    Warmup.run();
    StartupTimings.mark("expression sandbox and loader warmed up");
    WorkflowClient client = WorkflowClient.newInstance(listening.stubs,
        WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
    WorkerFactory factory = AgentflowWorkers.newFactory(client, config.settings());
    AgentflowWorkers.register(factory, taskQueue, config, mcp);
    factory.start();
    StartupTimings.mark("worker started");
    return new EmbeddedTemporal(listening.services, listening.server, listening.stubs, client, factory, mcp);
  }

  /** The embedded server listening, before a worker serves it; close it if no worker ever will. */
  static final class Listening implements AutoCloseable {
    private final TestServicesStarter services;
    private final Server server;
    private final WorkflowServiceStubs stubs;

    private Listening(TestServicesStarter services, Server server, WorkflowServiceStubs stubs) {
      this.services = services;
      this.server = server;
      this.stubs = stubs;
    }

    @Override
    public void close() {
      stubs.shutdownNow();
      server.shutdownNow();
      services.close();
    }
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

  /**
   * For a process that exits right after: stops the worker's polls and the MCP servers (other
   * processes) and leaves the rest, in-memory only, to the JVM's exit.
   */
  void closeBeforeExit() {
    factory.shutdownNow();
    mcp.close();
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
