package dev.agentflow.cli;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How to reach a Temporal cluster: a local dev server, a self-hosted cluster, or Temporal Cloud
 * (mTLS certificates or an API key read from an environment variable, never from the command line).
 * Files and variables are checked before connecting, and connecting checks the server answers, so a
 * wrong address is one line naming it.
 */
final class TemporalOptions {

  /** How long connecting waits for the server to answer its health check. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  @Option(names = "--address", paramLabel = "HOST:PORT", description = "Temporal frontend address")
  String address;

  @Option(names = "--namespace", defaultValue = "default", description = "Temporal namespace (default: ${DEFAULT-VALUE})")
  String namespace;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "client certificate for mTLS")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "client private key (PKCS8) for mTLS")
  Path tlsKey;

  @Option(
      names = "--api-key-env",
      paramLabel = "NAME",
      description = "environment variable holding a Temporal Cloud API key (enables TLS)")
  String apiKeyEnv;

  boolean embedded() {
    return address == null || address.isBlank();
  }

  /** Checks what can be checked without a network: the TLS files, the API key variable. */
  void check() {
    if (address != null && address.isBlank()) {
      throw CliException.usage("--address is empty (give HOST:PORT, e.g. localhost:7233)");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw CliException.usage("--tls-cert and --tls-key go together");
    }
    OptionFiles.requireFile("--tls-cert", tlsCert);
    OptionFiles.requireFile("--tls-key", tlsKey);
    if (apiKeyEnv != null) {
      String apiKey = System.getenv(apiKeyEnv);
      if (apiKey == null || apiKey.isBlank()) {
        throw CliException.usage("environment variable " + apiKeyEnv + " (--api-key-env) is not set");
      }
    }
  }

  /**
   * Connects and waits for the server's health check.
   *
   * @throws CliException naming the address when it does not answer
   */
  WorkflowServiceStubs connect() {
    check();
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(address);
    if (tlsCert != null) {
      try (InputStream cert = new FileInputStream(tlsCert.toFile());
          InputStream key = new FileInputStream(tlsKey.toFile())) {
        SslContext ssl = SimpleSslContextBuilder.forPKCS8(cert, key).build();
        options.setSslContext(ssl);
      } catch (IOException | IllegalArgumentException e) {
        throw CliException.usage("--tls-cert/--tls-key: cannot use " + tlsCert + " and " + tlsKey + ": "
            + Failures.chain(e).replace("\n", " "));
      }
    }
    if (apiKeyEnv != null) {
      String apiKey = System.getenv(apiKeyEnv);
      options.addApiKey(() -> apiKey).setEnableHttps(true);
    }
    try {
      return WorkflowServiceStubs.newConnectedServiceStubs(options.build(), CONNECT_TIMEOUT);
    } catch (RuntimeException e) {
      throw CliException.failed("cannot reach Temporal at " + address + ": " + Failures.chain(e).replace("\n  cause: ", ": ")
          + "\n  is a Temporal server running there? (e.g. `temporal server start-dev`)");
    }
  }

  WorkflowClient client(WorkflowServiceStubs service) {
    return WorkflowClient.newInstance(
        service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }
}
