package io.freshet.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An MCP client (the official SDK's) calls the {@code retrieve} tool end to end, with the caller's token. */
class McpEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static McpSyncClient client(ServiceFixture fx, String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(fx.base.toString())
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))
                .clientInfo(new McpSchema.Implementation("freshet-test", "1")).build();
    }

    @Test
    void retrieveToolAnswersInsideTheCallersPermissions() throws Exception {
        try (ServiceFixture fx = new ServiceFixture(dir, ServiceFixture.MODEL, b -> b)) {
            fx.indexSampleWorld();
            try (McpSyncClient bob = client(fx, fx.token("bob", "acme", "hr"))) {
                bob.initialize();
                assertThat(bob.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("retrieve");
                McpSchema.CallToolResult r = bob.callTool(new McpSchema.CallToolRequest("retrieve",
                        Map.of("query", "how long is parental leave?", "k", 3)));
                assertThat(r.isError()).isFalse();
                JsonNode body = JSON.readTree(((McpSchema.TextContent) r.content().get(0)).text());
                assertThat(ids(body)).containsExactly("hr-1");
                assertThat(body.at("/served/commit_generation").asLong()).isPositive();
                assertThat(body.at("/mode").asText()).isEqualTo("hybrid");

                McpSchema.CallToolResult bad = bob.callTool(new McpSchema.CallToolRequest("retrieve",
                        Map.of("query", "leave", "k", 5000)));
                assertThat(bad.isError()).isTrue();
                assertThat(JSON.readTree(((McpSchema.TextContent) bad.content().get(0)).text()).at("/error/code").asText())
                        .isEqualTo("invalid_k");
            }
            try (McpSyncClient alice = client(fx, fx.token("alice", "acme", "eng"))) {
                alice.initialize();
                McpSchema.CallToolResult r = alice.callTool(new McpSchema.CallToolRequest("retrieve",
                        Map.of("query", "parental leave", "k", 10, "filters", Map.of("attributes", Map.of("department", List.of("hr"))))));
                assertThat(ids(JSON.readTree(((McpSchema.TextContent) r.content().get(0)).text()))).isEmpty();
            }
            try (McpSyncClient forged = client(fx, "not-a-token")) {
                assertThatThrownBy(forged::initialize).as("no session without a valid token").isInstanceOf(RuntimeException.class);
            }
        }
    }

    private static List<String> ids(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.at("/hits").forEach(h -> ids.add(h.at("/document_id").asText()));
        return ids;
    }
}
