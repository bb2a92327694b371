package io.freshet.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.core.Principal;
import io.freshet.serving.api.ApiException;
import io.freshet.serving.api.ErrorBody;
import io.freshet.serving.api.RetrieveRequest;
import io.freshet.serving.api.RetrieveResponse;
import io.freshet.serving.identity.IdentityResolver;
import io.javalin.config.JavalinConfig;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server endpoint (official MCP Java SDK, streamable HTTP transport) at {@value #PATH}, exposing one
 * tool, {@code retrieve}, with the arguments of {@code POST /v1/retrieve}.
 *
 * <p>Identity is checked twice over: a servlet filter refuses any MCP HTTP request without a valid caller
 * (401 with a JSON body, before a session can even be opened), and the principal it resolved travels in the
 * MCP transport context to the tool call, which runs the same {@link Retrieval} as the HTTP API, with the
 * same permission filter, bounds and rate limit.
 */
final class McpEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(McpEndpoint.class);

    /** Path of the MCP endpoint. */
    static final String PATH = "/mcp";
    /** Name of the tool. */
    static final String TOOL = "retrieve";

    private static final String PRINCIPAL = "freshet.principal";
    private static final String REQUEST_ID = "freshet.request-id";

    private static final String INPUT_SCHEMA = """
            {"type": "object",
             "properties": {
               "query": {"type": "string", "description": "The question or search text"},
               "k": {"type": "integer", "minimum": 1, "description": "How many chunks to return (default 5)"},
               "mode": {"type": "string", "enum": ["hybrid", "vector", "keyword"], "description": "Default hybrid"},
               "filters": {"type": "object", "description": "Narrow the results (never widen permissions)",
                 "properties": {
                   "sources": {"type": "array", "items": {"type": "string"}},
                   "attributes": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                   "updated_after": {"type": "string", "description": "ISO-8601 instant"},
                   "updated_before": {"type": "string", "description": "ISO-8601 instant"}}}},
             "required": ["query"]}""";

    private final Retrieval retrieval;
    private final IdentityResolver identity;
    private final ObjectMapper json;
    private final HttpServletStreamableServerTransportProvider transport;
    private final McpSyncServer server;

    McpEndpoint(Retrieval retrieval, IdentityResolver identity, ObjectMapper json) {
        this.retrieval = retrieval;
        this.identity = identity;
        this.json = json;
        this.transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint(PATH)
                .contextExtractor(req -> {
                    Object principal = req.getAttribute(PRINCIPAL);
                    Object requestId = req.getAttribute(REQUEST_ID);
                    return principal == null ? McpTransportContext.EMPTY
                            : McpTransportContext.create(Map.of(PRINCIPAL, principal, REQUEST_ID, requestId));
                })
                .build();
        McpSchema.Tool tool = McpSchema.Tool.builder(TOOL)
                .description("Search the organisation's indexed documents the caller may see; returns the best "
                        + "matching passages with citations, the index commit served, and its freshness.")
                .inputSchema(McpJsonDefaults.getMapper(), INPUT_SCHEMA)
                .build();
        this.server = McpServer.sync(transport)
                .serverInfo("freshet", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(McpServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler(this::call).build())
                .build();
    }

    /** Mounts the endpoint and its identity filter on the service's servlet context. */
    void register(JavalinConfig c) {
        c.jetty.modifyServletContextHandler(context -> {
            context.addFilter(new FilterHolder(new IdentityFilter()), PATH, EnumSet.of(DispatcherType.REQUEST));
            ServletHolder holder = new ServletHolder("mcp", transport);
            holder.setAsyncSupported(true);
            context.addServlet(holder, PATH);
        });
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Object p = exchange.transportContext().get(PRINCIPAL);
        Object id = exchange.transportContext().get(REQUEST_ID);
        String requestId = id == null ? UUID.randomUUID().toString() : id.toString();
        if (!(p instanceof Principal principal)) {
            return error(ErrorBody.of("missing_token", "no authenticated caller", requestId));
        }
        try {
            RetrieveRequest r = json.convertValue(request.arguments(), RetrieveRequest.class);
            RetrieveResponse response = retrieval.retrieve(principal, r, requestId);
            return McpSchema.CallToolResult.builder()
                    .addTextContent(json.writeValueAsString(response))
                    .isError(false)
                    .build();
        } catch (ApiException e) {
            return error(ErrorBody.of(e.code(), e.getMessage(), requestId));
        } catch (IllegalArgumentException e) {
            return error(ErrorBody.of("invalid_arguments", "arguments do not match the tool's schema: "
                    + e.getMessage(), requestId));
        } catch (IOException | RuntimeException e) {
            LOG.error("MCP retrieve {} failed", requestId, e);
            return error(ErrorBody.of("internal", "internal error; see the service log for request " + requestId, requestId));
        }
    }

    private McpSchema.CallToolResult error(ErrorBody body) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (IOException e) {
            text = body.error().code() + ": " + body.error().message();
        }
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
    }

    /** Refuses MCP requests without a valid caller; passes the principal on to the tool call. */
    private final class IdentityFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            HttpServletResponse res = (HttpServletResponse) response;
            String requestId = UUID.randomUUID().toString();
            res.setHeader(RetrievalService.REQUEST_ID_HEADER, requestId);
            try {
                req.setAttribute(PRINCIPAL, identity.resolve(req::getHeader));
                req.setAttribute(REQUEST_ID, requestId);
            } catch (ApiException e) {
                e.headers().forEach(res::setHeader);
                res.setStatus(e.status());
                res.setContentType("application/json");
                res.getOutputStream().write(json.writeValueAsString(ErrorBody.of(e.code(), e.getMessage(), requestId))
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            chain.doFilter(request, response);
        }
    }

    void close() {
        server.closeGracefully();
    }
}
