package dev.agentflow.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GraphReferenceTest {

  @Test
  void should_read_name_at_alias() {
    assertThat(GraphReference.parse("support-router@prod")).isEqualTo(new GraphReference("support-router", null, "prod"));
  }

  @Test
  void should_read_name_colon_version() {
    assertThat(GraphReference.parse("support-router:8")).isEqualTo(new GraphReference("support-router", 8, null));
  }

  @Test
  void should_read_a_bare_name_as_the_latest_version() {
    GraphReference reference = GraphReference.parse("support-router");

    assertThat(reference.latest()).isTrue();
    assertThat(reference.toString()).isEqualTo("support-router");
  }

  @Test
  void should_refuse_what_is_none_of_the_three_forms_and_say_what_they_are() {
    for (String bad : new String[] {"a@", "a:", "a:x", "a@b@c", "../etc", "", "a b"}) {
      assertThatThrownBy(() -> GraphReference.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("NAME@ALIAS, NAME:VERSION or NAME");
    }
  }
}
