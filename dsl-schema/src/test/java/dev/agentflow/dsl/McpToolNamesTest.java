package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** MCP tool names in definitions: their form always, the servers and tools when a worker config is known. */
class McpToolNamesTest {

  /** What {@code validate --config} knows of a worker with one server, 'files', and two of its tools. */
  private static final Set<String> WITH_SERVERS = Set.of("calculator", McpToolNames.SERVERS_KNOWN, "mcp.files/*",
      "mcp.files/read_text_file", "mcp.files/list_directory");

  private static String graph(String tools, String toolNode) {
    return """
        apiVersion: agentflow/v1
        name: mcp-names
        version: 1
        models: {m: {provider: offline, model: scripted}}
        start: agent
        nodes:
          agent:
            kind: llm
            model: m
            prompt: hi
            tools: %s
            next: call
          call: {kind: tool, tool: "%s", next: done}
          done: {kind: end}
        """.formatted(tools, toolNode);
  }

  private static List<Problem> problems(Set<String> known, String text) {
    return catchThrowableOfType(DefinitionException.class, () -> new DefinitionLoader(known).load(text, "g.yaml")).problems();
  }

  @Test
  void should_accept_any_well_formed_mcp_name_when_no_worker_config_is_known() {
    LoadedDefinition loaded = new DefinitionLoader(Set.of("calculator"))
        .load(graph("[calculator, \"mcp.files/*\", mcp.github/create_issue]", "mcp.files/read_text_file"), "g.yaml");

    assertThat(loaded.graph().nodes()).containsKey("agent");
  }

  @Test
  void should_accept_names_the_worker_configs_servers_have() {
    LoadedDefinition loaded = new DefinitionLoader(WITH_SERVERS)
        .load(graph("[calculator, \"mcp.files/*\", mcp.files/list_directory]", "mcp.files/read_text_file"), "g.yaml");

    assertThat(loaded.graph().nodes()).containsKey("call");
  }

  @Test
  void should_locate_an_unknown_mcp_server_and_list_the_configured_ones() {
    List<Problem> problems = problems(WITH_SERVERS, graph("[mcp.fils/read_text_file]", "mcp.files/read_text_file"));

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.toString()).startsWith("g.yaml:11:13:");
      assertThat(problem.message()).contains("unknown MCP server 'fils'").contains("did you mean 'files'")
          .contains("the worker config's servers: files");
      assertThat(problem.pointer()).isEqualTo("/nodes/agent/tools/0");
    });
  }

  @Test
  void should_locate_an_unknown_tool_of_a_known_server_and_list_its_tools() {
    List<Problem> problems = problems(WITH_SERVERS, graph("[calculator]", "mcp.files/read_txt_file"));

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.toString()).startsWith("g.yaml:13:28:");
      assertThat(problem.message()).contains("MCP server 'files' has no tool 'read_txt_file'")
          .contains("did you mean 'read_text_file'").contains("list_directory");
    });
  }

  @Test
  void should_refuse_a_malformed_mcp_name_and_a_whole_server_in_a_tool_node() {
    List<Problem> problems = problems(Set.of("calculator"), graph("[mcp.files]", "mcp.files/*"));

    assertThat(problems).extracting(Problem::message).anySatisfy(
        message -> assertThat(message).contains("'mcp.files' is not an MCP tool name"));
    assertThat(problems).extracting(Problem::message).anySatisfy(
        message -> assertThat(message).contains("a tool node calls one tool"));
  }

  @Test
  void should_check_mcp_names_in_the_tools_settings_too() {
    String text = graph("[mcp.files/read_text_file]", "mcp.files/read_text_file")
        .replace("start: agent", "tools: {\"mcp.nope/*\": {timeout: 5s}}\nstart: agent");

    assertThat(problems(WITH_SERVERS, text)).singleElement()
        .satisfies(problem -> assertThat(problem.message()).contains("unknown MCP server 'nope'"));
  }
}
