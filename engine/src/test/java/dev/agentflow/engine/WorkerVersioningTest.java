package dev.agentflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.common.VersioningBehavior;
import io.temporal.worker.WorkerDeploymentOptions;
import org.junit.jupiter.api.Test;

class WorkerVersioningTest {

  @Test
  void should_name_this_build_by_project_version_and_commit() {
    assertThat(WorkerVersioning.thisBuild()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\+([0-9a-f]{12}|unknown)(\\.dirty)?");
  }

  @Test
  void should_put_workers_in_deployment_agentflow_with_runs_pinned_by_default() {
    WorkerDeploymentOptions options = WorkerVersioning.defaults().options();

    assertThat(options.isUsingVersioning()).isTrue();
    assertThat(options.getVersion().getDeploymentName()).isEqualTo("agentflow");
    assertThat(options.getVersion().getBuildId()).isEqualTo(WorkerVersioning.thisBuild());
    assertThat(options.getDefaultVersioningBehavior()).isEqualTo(VersioningBehavior.PINNED);
  }

  @Test
  void should_refuse_a_deployment_name_with_a_dot_since_versions_are_written_deployment_dot_build() {
    assertThatThrownBy(() -> new WorkerVersioning("agent.flow", "1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'.'");
    assertThat(new WorkerVersioning("agentflow", "0.1.0+abc").toString()).isEqualTo("agentflow.0.1.0+abc");
  }
}
