package dev.agentflow.engine;

import io.temporal.common.VersioningBehavior;
import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.worker.WorkerDeploymentOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The interpreter's own release story, on Temporal Worker Versioning: every worker of a process
 * joins one Worker Deployment Version (deployment {@value #DEFAULT_DEPLOYMENT}, build id from the
 * project version and commit), and runs are PINNED by default: a run stays on the build it started
 * on, whatever build is made current later, so a change to interpreter code never meets a run it
 * would replay differently. {@code temporal worker deployment set-current-version} (or a ramp) moves
 * new runs to a new build; {@code agentflow replay} is the gate before it.
 *
 * @param deploymentName the Worker Deployment, {@value #DEFAULT_DEPLOYMENT} unless told otherwise
 * @param buildId this build, e.g. {@code 0.1.0-SNAPSHOT+4f3cc805e84b}
 */
public record WorkerVersioning(String deploymentName, String buildId) {

  public static final String DEFAULT_DEPLOYMENT = "agentflow";

  public WorkerVersioning {
    if (deploymentName == null || deploymentName.isBlank() || deploymentName.contains(".")) {
      throw new IllegalArgumentException("a deployment name must not be empty or contain '.': '" + deploymentName + "'");
    }
    if (buildId == null || buildId.isBlank()) {
      throw new IllegalArgumentException("a build id must not be empty");
    }
  }

  /** Deployment {@value #DEFAULT_DEPLOYMENT}, this build's id ({@link #thisBuild()}). */
  public static WorkerVersioning defaults() {
    return new WorkerVersioning(DEFAULT_DEPLOYMENT, thisBuild());
  }

  /**
   * This build's id: {@code <project version>+<commit>} from the {@code build.properties} Maven
   * wrote ({@code +<commit>.dirty} for uncommitted changes, {@code +unknown} built outside git).
   */
  public static String thisBuild() {
    Properties build = new Properties();
    try (InputStream in = WorkerVersioning.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        throw new IllegalStateException("build.properties is missing from the engine jar");
      }
      build.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read build.properties", e);
    }
    String commit = build.getProperty("commit", "");
    commit = commit.isBlank() || commit.startsWith("${") ? "unknown" : commit;
    String dirty = "true".equals(build.getProperty("dirty")) ? ".dirty" : "";
    return build.getProperty("version", "unknown") + "+" + commit + dirty;
  }

  /** What every worker of the process gets: this version, PINNED unless a workflow says otherwise. */
  public WorkerDeploymentOptions options() {
    return WorkerDeploymentOptions.newBuilder()
        .setUseVersioning(true)
        .setVersion(new WorkerDeploymentVersion(deploymentName, buildId))
        .setDefaultVersioningBehavior(VersioningBehavior.PINNED)
        .build();
  }

  /** {@code deployment.buildId}, as the {@code temporal} CLI and the server name a version. */
  @Override
  public String toString() {
    return deploymentName + "." + buildId;
  }
}
