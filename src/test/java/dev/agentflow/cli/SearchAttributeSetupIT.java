package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.workflow.RunSearchAttributes;
import dev.agentflow.it.ItEnvironment;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What {@code agentflow worker} does at start against the real server: a namespace created without
 * agentflow's search attributes gets all of them, and a second check finds nothing to add.
 */
class SearchAttributeSetupIT {

  @Test
  void should_add_every_missing_attribute_to_a_fresh_namespace_and_nothing_the_second_time() throws Exception {
    String address = ItEnvironment.temporalAddress();
    String namespace = "agentflow-it-" + UUID.randomUUID().toString().substring(0, 8);
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder(service.getOptions()).build());
    try {
      service.blockingStub().registerNamespace(RegisterNamespaceRequest.newBuilder()
          .setNamespace(namespace)
          .setWorkflowExecutionRetentionPeriod(com.google.protobuf.Duration.newBuilder().setSeconds(86_400))
          .build());

      assertThat(SearchAttributeSetup.ensure(operator, namespace)).isEqualTo(RunSearchAttributes.definitions());
      assertThat(SearchAttributeSetup.ensure(operator, namespace)).isEmpty();
      assertThat(operator.blockingStub()
              .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
              .getCustomAttributesMap())
          .containsAllEntriesOf(RunSearchAttributes.definitions());
    } finally {
      operator.shutdownNow();
      service.shutdownNow();
    }
  }
}
