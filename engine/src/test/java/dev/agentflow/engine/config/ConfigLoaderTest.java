package dev.agentflow.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final String EXAMPLE =
      """
      taskQueue: agentflow
      blobStore: {type: directory, path: ~/.agentflow/blobs}
      pools:
        default: {maxConcurrent: 20, ratePerSecond: 0}
        openai:  {maxConcurrent: 50, ratePerSecond: 50, models: [gpt-4.1, gpt-4.1-mini]}
      tools: {maxConcurrent: 100}
      workflows: {maxConcurrentTasks: 200, cacheSize: 2000, virtualThreads: auto}
      pricing: {gpt-4.1: {input: 2.0, output: 8.0}}
      """;

  @Test
  void should_give_pools_for_every_provider_and_the_documented_limits_when_there_is_no_file() {
    AgentflowConfig config = ConfigLoader.load(null, Map.of());

    assertThat(config).isEqualTo(AgentflowConfig.defaults());
    assertThat(config.taskQueue()).isEqualTo("agentflow");
    assertThat(config.pools()).containsOnlyKeys("openai", "offline");
    assertThat(config.pools().values()).allSatisfy(pool -> {
      assertThat(pool.maxConcurrent()).isEqualTo(50);
      assertThat(pool.ratePerSecond()).isZero();
    });
    assertThat(config.tools().maxConcurrent()).isEqualTo(100);
    assertThat(config.blobStore().type()).isEqualTo("directory");
    assertThat(config.blobStore().directory()).isNull();
  }

  @Test
  void should_read_every_section_of_the_example_file(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agentflow.yaml");
    Files.writeString(file, EXAMPLE);

    AgentflowConfig config = ConfigLoader.load(file, Map.of());

    assertThat(config.pools().get("openai")).isEqualTo(new PoolConfig(50, 50, List.of("gpt-4.1", "gpt-4.1-mini")));
    assertThat(config.pools().get("offline").maxConcurrent()).as("offline is filled in from the default template").isEqualTo(20);
    assertThat(config.pools()).doesNotContainKey("default");
    assertThat(config.workflows()).isEqualTo(new WorkflowsConfig(200, 2000, 4000, "auto"));
    assertThat(config.priceOf("gpt-4.1")).contains(new ModelPrice(2.0, 8.0));
    assertThat(config.blobStore().directory()).isEqualTo(Path.of(System.getProperty("user.home"), ".agentflow", "blobs"));
  }

  @Test
  void should_let_environment_variables_override_any_value_of_the_file() {
    Map<String, String> env = Map.of(
        "AGENTFLOW_POOLS_OPENAI_MAX_CONCURRENT", "7",
        "AGENTFLOW_POOLS_OPENAI_RATE_PER_SECOND", "2.5",
        "AGENTFLOW_POOLS_OPENAI_MODELS", "a, b",
        "AGENTFLOW_TASK_QUEUE", "prod",
        "AGENTFLOW_WORKFLOWS_CACHE_SIZE", "1500",
        "AGENTFLOW_PRICING_GPT_4_1_OUTPUT", "9",
        "AGENTFLOW_HOME", "/not/a/config/value");

    AgentflowConfig config = ConfigLoader.fromYaml(EXAMPLE, "agentflow.yaml", env);

    assertThat(config.pools().get("openai")).isEqualTo(new PoolConfig(7, 2.5, List.of("a", "b")));
    assertThat(config.taskQueue()).isEqualTo("prod");
    assertThat(config.workflows().cacheSize()).isEqualTo(1500);
    assertThat(config.priceOf("gpt-4.1")).contains(new ModelPrice(2.0, 9.0));
  }

  @Test
  void should_read_per_minute_limits_of_a_pool_from_the_file_and_the_environment() {
    String yaml = "pools:\n  openai: {maxTokensPerMinute: 90000, maxRequestsPerMinute: 500}\n";
    Map<String, String> env = Map.of(
        "AGENTFLOW_POOLS_OPENAI_MAX_TOKENS_PER_MINUTE", "30000",
        "AGENTFLOW_POOLS_BATCH_MAX_REQUESTS_PER_MINUTE", "60");

    AgentflowConfig config = ConfigLoader.fromYaml(yaml, "agentflow.yaml", env);

    assertThat(config.pools().get("openai").maxTokensPerMinute()).isEqualTo(30000);
    assertThat(config.pools().get("openai").maxRequestsPerMinute()).isEqualTo(500);
    assertThat(config.pools().get("batch").maxRequestsPerMinute()).as("a pool named only in the environment").isEqualTo(60);
    assertThat(config.pools().get("offline").admitsByMinute()).isFalse();
  }

  @Test
  void should_refuse_a_negative_tokens_per_minute_saying_where() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("pools:\n  openai: {maxTokensPerMinute: -1}\n", "agentflow.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("agentflow.yaml")
        .hasMessageContaining("maxTokensPerMinute must be 0 (unlimited) or more, was -1");
  }

  @Test
  void should_apply_environment_variables_without_a_file_and_add_pools_they_name() {
    Map<String, String> env = Map.of(
        "AGENTFLOW_POOLS_OFFLINE_MAX_CONCURRENT", "3",
        "AGENTFLOW_POOLS_BIG_MODELS_MAX_CONCURRENT", "4",
        "AGENTFLOW_BLOB_STORE_PATH", "/tmp/blobs");

    AgentflowConfig config = ConfigLoader.load(null, env);

    assertThat(config.pools().get("offline").maxConcurrent()).isEqualTo(3);
    assertThat(config.pools().get("big_models").maxConcurrent()).isEqualTo(4);
    assertThat(config.pools().get("openai").maxConcurrent()).isEqualTo(50);
    assertThat(config.blobStore().directory()).isEqualTo(Path.of("/tmp/blobs"));
  }

  @Test
  void should_name_environment_variables_after_the_path_in_upper_snake_case() {
    assertThat(ConfigLoader.envName(List.of("pools", "openai", "maxConcurrent"))).isEqualTo("AGENTFLOW_POOLS_OPENAI_MAX_CONCURRENT");
    assertThat(ConfigLoader.envName(List.of("blobStore", "passwordEnv"))).isEqualTo("AGENTFLOW_BLOB_STORE_PASSWORD_ENV");
    assertThat(ConfigLoader.envName(List.of("pricing", "gpt-4.1-mini", "input"))).isEqualTo("AGENTFLOW_PRICING_GPT_4_1_MINI_INPUT");
  }

  @Test
  void should_reject_a_misspelt_key_naming_where_it_is() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("pools: {openai: {maxConcurent: 5}}", "agentflow.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("agentflow.yaml")
        .hasMessageContaining("pools.openai.maxConcurent");
  }

  @Test
  void should_reject_a_duplicate_key_with_its_line() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("tools: {maxConcurrent: 5}\ntools: {maxConcurrent: 6}\n", "agentflow.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("agentflow.yaml:2")
        .hasMessageContaining("tools");
  }

  @Test
  void should_reject_limits_that_cannot_work() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("pools: {openai: {maxConcurrent: 0}}", "a.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pools.openai")
        .hasMessageContaining("maxConcurrent must be at least 1");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("", "a.yaml", Map.of("AGENTFLOW_POOLS_OPENAI_RATE_PER_SECOND", "-1")))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> ConfigLoader.fromYaml("workflows: {virtualThreads: maybe}", "a.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("virtualThreads must be auto, true or false");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("blobStore: {type: postgres}", "a.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("blobStore.url");
  }

  @Test
  void should_read_a_postgres_blob_store_with_the_password_by_environment_name() {
    AgentflowConfig config = ConfigLoader.fromYaml(
        "blobStore: {type: postgres, url: 'jdbc:postgresql://db/agentflow', user: agentflow, passwordEnv: PGPASSWORD}",
        "a.yaml", Map.of());

    assertThat(config.blobStore()).isEqualTo(
        new BlobStoreConfig("postgres", null, "jdbc:postgresql://db/agentflow", "agentflow", "PGPASSWORD"));
  }

  @Test
  void should_read_references_turned_off_as_the_inline_blob_store() {
    AgentflowConfig config = ConfigLoader.fromYaml("blobStore: {type: inline}", "a.yaml", Map.of());

    assertThat(config.blobStore().type()).isEqualTo(BlobStoreConfig.INLINE);
  }

  @Test
  void should_name_the_blob_store_types_when_the_type_is_unknown() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("blobStore: {type: s3}", "a.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("directory, postgres or inline")
        .hasMessageContaining("'s3'");
  }

  @Test
  void should_use_virtual_workflow_threads_only_where_the_jvm_has_them() {
    assertThat(new WorkflowsConfig(1, 1, 1, "auto").useVirtualThreads(17)).isFalse();
    assertThat(new WorkflowsConfig(1, 1, 1, "auto").useVirtualThreads(21)).isTrue();
    assertThat(new WorkflowsConfig(1, 1, 1, "false").useVirtualThreads(21)).isFalse();
    assertThatThrownBy(() -> new WorkflowsConfig(1, 1, 1, "true").useVirtualThreads(17))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("21");
  }

  @Test
  void should_set_search_attributes_auto_by_default_and_off_from_the_file_or_the_environment() {
    assertThat(ConfigLoader.fromYaml("", "agentflow.yaml", Map.of()).searchAttributesOn()).isTrue();
    assertThat(ConfigLoader.fromYaml("searchAttributes: off", "agentflow.yaml", Map.of()).searchAttributesOn()).isFalse();
    assertThat(ConfigLoader.fromYaml("", "agentflow.yaml", Map.of("AGENTFLOW_SEARCH_ATTRIBUTES", "off"))
        .searchAttributes()).isEqualTo(AgentflowConfig.SEARCH_ATTRIBUTES_OFF);
  }

  @Test
  void should_reject_a_search_attributes_setting_other_than_auto_or_off() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("searchAttributes: sometimes", "agentflow.yaml", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("searchAttributes must be auto or off, not 'sometimes'");
  }
}
