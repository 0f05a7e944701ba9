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
import picocli.CommandLine.Option;

/**
 * How to reach a Temporal cluster: a local dev server, a self-hosted cluster, or Temporal Cloud
 * (mTLS certificates or an API key read from an environment variable, never from the command line).
 */
final class TemporalOptions {

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

  WorkflowServiceStubs connect() throws IOException {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(address);
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      }
      try (InputStream cert = new FileInputStream(tlsCert.toFile());
          InputStream key = new FileInputStream(tlsKey.toFile())) {
        SslContext ssl = SimpleSslContextBuilder.forPKCS8(cert, key).build();
        options.setSslContext(ssl);
      }
    }
    if (apiKeyEnv != null) {
      String apiKey = System.getenv(apiKeyEnv);
      if (apiKey == null || apiKey.isBlank()) {
        throw new IllegalArgumentException("environment variable " + apiKeyEnv + " (--api-key-env) is not set");
      }
      options.addApiKey(() -> apiKey).setEnableHttps(true);
    }
    return WorkflowServiceStubs.newServiceStubs(options.build());
  }

  WorkflowClient client(WorkflowServiceStubs service) {
    return WorkflowClient.newInstance(
        service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }
}
