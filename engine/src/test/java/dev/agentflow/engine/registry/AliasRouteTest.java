package dev.agentflow.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AliasRouteTest {

  @Test
  void should_parse_a_single_version_as_all_new_runs_on_it() {
    AliasRoute route = AliasRoute.parse("7");

    assertThat(route.targets()).containsExactly(new AliasRoute.Target(7, 100));
    assertThat(route.pick("any-id")).isEqualTo(7);
    assertThat(route.toString()).isEqualTo("7");
  }

  @Test
  void should_parse_weights_in_the_order_written_and_print_them_back() {
    AliasRoute route = AliasRoute.parse("7:90, 8:10");

    assertThat(route.targets()).containsExactly(new AliasRoute.Target(7, 90), new AliasRoute.Target(8, 10));
    assertThat(route.toString()).isEqualTo("7:90,8:10");
  }

  @Test
  void should_refuse_weights_that_do_not_add_up_to_100() {
    assertThatThrownBy(() -> AliasRoute.parse("7:90,8:20"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add up to 110, not 100")
        .hasMessageContaining("7:90,8:10");
  }

  @Test
  void should_refuse_a_version_named_twice_or_a_word_for_a_number() {
    assertThatThrownBy(() -> AliasRoute.parse("7:50,7:50")).hasMessageContaining("version 7 is named twice");
    assertThatThrownBy(() -> AliasRoute.parse("seven")).hasMessageContaining("'seven' is not a version");
    assertThatThrownBy(() -> AliasRoute.parse("7:90,8")).hasMessageContaining("'8' is not VERSION:PERCENT");
    assertThatThrownBy(() -> AliasRoute.parse("0")).hasMessageContaining("version 0 is not a version");
  }

  @Test
  void should_split_1000_workflow_ids_within_3_percent_of_the_weights() {
    AliasRoute route = AliasRoute.parse("7:90,8:10");
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      counts.merge(route.pick("order-" + i), 1, Integer::sum);
    }

    assertThat(counts.keySet()).containsExactlyInAnyOrder(7, 8);
    assertThat(counts.get(7)).isBetween(870, 930);
    assertThat(counts.get(8)).isBetween(70, 130);
  }

  @Test
  void should_split_three_ways_within_3_percent_of_the_weights() {
    AliasRoute route = AliasRoute.parse("1:50,2:30,3:20");
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      counts.merge(route.pick(java.util.UUID.nameUUIDFromBytes(("run" + i).getBytes()).toString()), 1, Integer::sum);
    }

    assertThat(counts.get(1)).isBetween(470, 530);
    assertThat(counts.get(2)).isBetween(270, 330);
    assertThat(counts.get(3)).isBetween(170, 230);
  }

  @Test
  void should_pick_the_same_version_for_the_same_workflow_id_every_time() {
    AliasRoute route = AliasRoute.parse("7:50,8:50");
    AliasRoute same = AliasRoute.parse("7:50,8:50");
    for (int i = 0; i < 1000; i++) {
      String id = "order-" + i;
      int first = route.pick(id);
      assertThat(route.pick(id)).as(id).isEqualTo(first);
      assertThat(same.pick(id)).as(id).isEqualTo(first);
    }
  }

  @Test
  void should_keep_every_canary_id_on_the_canary_when_its_weight_grows_in_the_same_order() {
    AliasRoute small = AliasRoute.parse("7:90,8:10");
    AliasRoute larger = AliasRoute.parse("7:70,8:30");
    List<String> ids = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "id-" + i).toList();

    List<String> onCanary = ids.stream().filter(id -> small.pick(id) == 8).toList();

    assertThat(onCanary).isNotEmpty();
    assertThat(onCanary).allSatisfy(id -> assertThat(larger.pick(id)).isEqualTo(8));
  }
}
