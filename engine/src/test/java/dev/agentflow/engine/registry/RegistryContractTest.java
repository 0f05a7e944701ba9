package dev.agentflow.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.engine.blob.BlobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the registry promises on every index ({@link RegistryIndex}): the directory one here, the
 * PostgreSQL one in {@code PostgresRegistryIT}. A subclass supplies a fresh, empty index and blob
 * store; {@link #newRegistry()} may be called twice to act as two processes on the same stores.
 */
public abstract class RegistryContractTest {

  protected GraphRegistry registry;

  /** A registry on the stores of this test (each call: a new instance on the same stores). */
  protected abstract GraphRegistry newRegistry() throws Exception;

  /** The blob store the registry writes to. */
  protected abstract BlobStore blobs();

  @BeforeEach
  void createRegistry() throws Exception {
    registry = newRegistry();
  }

  static LoadedDefinition definition(String name, int version, String output) {
    return DefinitionLoader.withoutToolCheck().load("""
        apiVersion: agentflow/v1
        name: %s
        version: %d
        start: done
        nodes:
          done: {kind: end, output: "%s"}
        """.formatted(name, version, output), name + ".yaml");
  }

  @Test
  void should_store_a_new_version_and_its_content_by_sha256() {
    LoadedDefinition loaded = definition("greeter", 1, "input.hello");

    GraphRegistry.Deployed deployed = registry.deploy(loaded);

    assertThat(deployed.created()).isTrue();
    assertThat(deployed.version().sha256()).isEqualTo(loaded.sha256());
    assertThat(new String(blobs().get("sha256:" + loaded.sha256()), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(loaded.canonicalJson());
    assertThat(registry.versions("greeter")).extracting(VersionRecord::version).containsExactly(1);
  }

  @Test
  void should_do_nothing_when_the_same_version_is_deployed_again_with_the_same_content() {
    GraphRegistry.Deployed first = registry.deploy(definition("greeter", 1, "input.hello"));

    GraphRegistry.Deployed again = registry.deploy(definition("greeter", 1, "input.hello"));

    assertThat(again.created()).isFalse();
    assertThat(again.version()).isEqualTo(first.version());
    assertThat(registry.versions("greeter")).hasSize(1);
  }

  @Test
  void should_refuse_the_same_version_with_other_content_and_show_the_diff() {
    registry.deploy(definition("greeter", 1, "input.hello"));

    assertThatThrownBy(() -> registry.deploy(definition("greeter", 1, "input.bonjour")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("version 1 of 'greeter' is already deployed with other content")
        .hasMessageContaining("-    output: input.hello")
        .hasMessageContaining("+    output: input.bonjour")
        .extracting(e -> ((RegistryException) e).type()).isEqualTo(RegistryException.VERSION_CONFLICT);
    assertThat(registry.resolve(GraphReference.parse("greeter:1"), "id").definition().toString()).contains("hello");
  }

  @Test
  void should_list_versions_oldest_first_with_their_sha256() {
    LoadedDefinition v2 = definition("greeter", 2, "input.two");
    registry.deploy(v2);
    registry.deploy(definition("greeter", 1, "input.one"));
    registry.deploy(definition("other", 5, "input.x"));

    assertThat(registry.versions("greeter")).extracting(VersionRecord::version).containsExactly(1, 2);
    assertThat(registry.versions("greeter").get(1).sha256()).isEqualTo(v2.sha256());
  }

  @Test
  void should_diff_two_versions_as_canonical_yaml() {
    registry.deploy(definition("greeter", 1, "input.one"));
    registry.deploy(definition("greeter", 2, "input.two"));

    String diff = registry.diff("greeter", 1, 2);

    assertThat(diff).startsWith("--- greeter:1\n+++ greeter:2\n")
        .contains("-version: 1").contains("+version: 2")
        .contains("-    output: input.one").contains("+    output: input.two");
    assertThat(registry.diff("greeter", 1, 1)).isEmpty();
  }

  @Test
  void should_resolve_an_alias_a_version_and_the_latest() {
    registry.deploy(definition("greeter", 1, "input.one"));
    registry.deploy(definition("greeter", 2, "input.two"));
    registry.alias("greeter", "prod", AliasRoute.single(1));

    ResolvedGraph byAlias = registry.resolve(GraphReference.parse("greeter@prod"), "id-1");
    ResolvedGraph byVersion = registry.resolve(GraphReference.parse("greeter:2"), "id-1");
    ResolvedGraph latest = registry.resolve(GraphReference.parse("greeter"), "id-1");

    assertThat(byAlias.version()).isEqualTo(1);
    assertThat(byAlias.alias()).isEqualTo("prod");
    assertThat(byAlias.definition().path("nodes").path("done").path("output").asText()).isEqualTo("input.one");
    assertThat(byVersion.version()).isEqualTo(2);
    assertThat(byVersion.alias()).isNull();
    assertThat(latest.version()).isEqualTo(2);
  }

  @Test
  void should_move_an_alias_in_one_write_and_report_where_it_pointed() {
    registry.deploy(definition("greeter", 1, "input.one"));
    registry.deploy(definition("greeter", 2, "input.two"));
    registry.alias("greeter", "prod", AliasRoute.single(1));

    assertThat(registry.alias("greeter", "prod", AliasRoute.parse("1:90,2:10"))).contains(AliasRoute.single(1));
    assertThat(registry.aliases("greeter")).containsEntry("prod", AliasRoute.parse("1:90,2:10"));
    assertThat(registry.alias("greeter", "prod", AliasRoute.single(1))).contains(AliasRoute.parse("1:90,2:10"));
    assertThat(registry.resolve(GraphReference.parse("greeter@prod"), "any").version()).isEqualTo(1);
  }

  @Test
  void should_refuse_an_alias_to_a_version_that_does_not_exist_and_list_the_versions() {
    registry.deploy(definition("greeter", 1, "input.one"));

    assertThatThrownBy(() -> registry.alias("greeter", "prod", AliasRoute.parse("1:90,3:10")))
        .isInstanceOf(RegistryException.class)
        .hasMessage("'greeter' has no version 3; versions: 1");
    assertThat(registry.aliases("greeter")).isEmpty();
  }

  @Test
  void should_say_which_graphs_exist_when_a_name_is_unknown() {
    registry.deploy(definition("greeter", 1, "input.one"));
    registry.deploy(definition("router", 1, "input.one"));

    assertThatThrownBy(() -> registry.resolve(GraphReference.parse("greter@prod"), "id"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("no graph 'greter' in the registry; graphs: greeter, router");
  }

  @Test
  void should_say_which_versions_exist_when_a_version_is_unknown() {
    registry.deploy(definition("greeter", 1, "input.one"));
    registry.deploy(definition("greeter", 2, "input.two"));

    assertThatThrownBy(() -> registry.resolve(GraphReference.parse("greeter:9"), "id"))
        .hasMessage("'greeter' has no version 9; versions: 1, 2");
  }

  @Test
  void should_say_which_aliases_and_versions_exist_when_an_alias_is_unknown() {
    registry.deploy(definition("greeter", 1, "input.one"));
    registry.deploy(definition("greeter", 2, "input.two"));
    registry.alias("greeter", "prod", AliasRoute.parse("1:90,2:10"));

    assertThatThrownBy(() -> registry.resolve(GraphReference.parse("greeter@staging"), "id"))
        .hasMessage("'greeter' has no alias 'staging'; aliases: prod → 1:90,2:10; versions: 1, 2");
  }

  @Test
  void should_let_one_of_two_concurrent_deploys_of_a_version_win_and_refuse_the_other() throws Exception {
    GraphRegistry other = newRegistry();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        CountDownLatch go = new CountDownLatch(1);
        int version = round + 1;
        List<Future<GraphRegistry.Deployed>> deploys = new ArrayList<>();
        deploys.add(pool.submit(() -> {
          go.await();
          return registry.deploy(definition("raced", version, "input.a"));
        }));
        deploys.add(pool.submit(() -> {
          go.await();
          return other.deploy(definition("raced", version, "input.b"));
        }));
        go.countDown();
        int won = 0;
        int refused = 0;
        for (Future<GraphRegistry.Deployed> deploy : deploys) {
          try {
            assertThat(deploy.get(30, TimeUnit.SECONDS).created()).isTrue();
            won++;
          } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RegistryException.class)
                .hasMessageContaining("version " + version + " of 'raced' is already deployed with other content");
            refused++;
          }
        }
        assertThat(won).as("round " + round).isEqualTo(1);
        assertThat(refused).as("round " + round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.versions("raced")).hasSize(10);
  }
}
