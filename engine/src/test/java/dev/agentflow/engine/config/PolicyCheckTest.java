package dev.agentflow.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.egress.IpLiterals;
import dev.agentflow.engine.policy.PolicyCheck;
import dev.agentflow.engine.policy.PolicySubject;
import dev.agentflow.engine.policy.PolicyViolation;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.tools.egress.ConnectGuard;
import dev.agentflow.tools.egress.Egress;
import dev.agentflow.tools.egress.HostResolver;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The start-of-run check over whole definitions (child graphs included), with a fake resolver: a
 * definition's model endpoint is judged by what its host resolves to, and nothing is contacted.
 */
class PolicyCheckTest {

  private static final HostResolver TABLE = host -> switch (host) {
    case "llm.internal.test" -> List.of(IpLiterals.parse("10.0.0.7").orElseThrow());
    case "rebind.test" -> List.of(IpLiterals.parse("127.0.0.1").orElseThrow());
    case "api.partner.test" -> List.of(IpLiterals.parse("93.184.216.34").orElseThrow());
    default -> throw new UnknownHostException(host);
  };

  private static List<PolicyViolation> check(AgentflowConfig settings, String yaml) throws Exception {
    String canonical = DefinitionLoader.withoutToolCheck().load(yaml, "test.yaml").canonicalJson();
    WorkerPolicy policy = WorkerPolicy.from(settings, name -> null, new Egress(settings.egress().toPolicy(), TABLE, target -> {
      throw new AssertionError("the check must never connect, tried " + target);
    }));
    return new PolicyCheck(policy, true).check(PolicySubject.of(new ObjectMapper().readTree(canonical)));
  }

  private static String model(String baseUrl, String apiKey) {
    return """
        apiVersion: agentflow/v1
        name: endpoint
        version: 1
        models:
          m: {provider: openai, model: x, baseUrl: "%s", apiKey: "%s"}
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: hi, next: done}
          done: {kind: end}
        """.formatted(baseUrl, apiKey);
  }

  private static AgentflowConfig granting(String variable, String host) {
    return AgentflowConfig.defaults().withSecrets(Map.of(variable, new SecretGrant(List.of(), List.of("openai"), List.of(host))));
  }

  @Test
  void should_refuse_a_definition_endpoint_whose_host_resolves_to_a_private_address() throws Exception {
    List<PolicyViolation> violations = check(granting("K", "llm.internal.test"), model("https://llm.internal.test/v1", "env:K"));

    assertThat(violations).extracting(PolicyViolation::type).containsExactly("EgressRefused");
    assertThat(violations.get(0).message()).contains("10.0.0.7", "RFC 1918");
  }

  @Test
  void should_refuse_a_definition_endpoint_whose_host_resolves_to_loopback() throws Exception {
    assertThat(check(granting("K", "rebind.test"), model("http://rebind.test:8080/v1", "env:K")))
        .extracting(PolicyViolation::type).containsExactly("EgressRefused");
  }

  @Test
  void should_accept_a_public_definition_endpoint_that_the_key_grant_names() throws Exception {
    assertThat(check(granting("K", "api.partner.test"), model("https://api.partner.test/v1", "env:K"))).isEmpty();
  }

  @Test
  void should_refuse_sending_the_default_key_to_an_endpoint_the_definition_wrote() throws Exception {
    List<PolicyViolation> violations = check(AgentflowConfig.defaults(), model("https://api.partner.test/v1", "env:OPENAI_API_KEY"));

    assertThat(violations).extracting(PolicyViolation::type).containsExactly("SecretNotAllowed");
    assertThat(violations.get(0).message()).contains("secrets.OPENAI_API_KEY.hosts", "api.partner.test");
  }

  @Test
  void should_refuse_an_endpoint_outside_the_graph_egress_even_when_the_worker_allows_it() throws Exception {
    String yaml = model("https://api.partner.test/v1", "env:K").replace("version: 1\n", "version: 1\negress: {allow: [api.github.com]}\n");

    assertThat(check(granting("K", "api.partner.test"), yaml)).extracting(PolicyViolation::type).containsExactly("EgressRefused");
  }

  @Test
  void should_check_the_secrets_of_tool_nodes_inside_child_graphs() throws Exception {
    List<PolicyViolation> violations = check(AgentflowConfig.defaults(), """
        apiVersion: agentflow/v1
        name: parent
        version: 1
        start: fan
        nodes:
          fan:
            kind: parallel
            branches:
              a:
                start: fetch
                nodes:
                  fetch: {kind: tool, tool: http_get, arguments: {url: "https://x.test/", headers: {A: {secret: "env:DEPLOY_TOKEN"}}}, next: done}
                  done: {kind: end}
            next: done
          done: {kind: end}
        """);

    assertThat(violations).extracting(PolicyViolation::type).containsExactly("SecretNotAllowed");
    assertThat(violations.get(0).message()).contains("DEPLOY_TOKEN", "secrets.DEPLOY_TOKEN.tools", "graph 'parent'");
  }
}
