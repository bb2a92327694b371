package io.freshet.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoadClientTest {

    /**
     * Every client sends the token and body, reads fixed-length and chunked bodies in full, keeps connections
     * alive, reports the status and Server-Timing, and reports a refused request as a status.
     */
    @ParameterizedTest
    @EnumSource(LoadClient.Kind.class)
    void sendsReadsWholeBodiesAndReportsStatusAndTiming(LoadClient.Kind kind) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        server.createContext("/v1/retrieve", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(ex.getRequestHeaders().getFirst("Authorization") + " " + body);
            byte[] out = ("{\"echo\": \"" + "x".repeat(20_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            boolean refuse = body.contains("refuse");
            ex.getResponseHeaders().add("Server-Timing", "app;dur=1.5");
            // a fixed-length body, or a chunked one when the request asks for it
            ex.sendResponseHeaders(refuse ? 401 : 200, body.contains("chunked") ? 0 : out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/retrieve");
        ConcurrentLinkedQueue<String> results = new ConcurrentLinkedQueue<>();
        List<String> bodies = List.of("{\"q\": \"fixed\"}", "{\"q\": \"chunked\"}", "{\"q\": \"refuse\"}");
        int rounds = 20;
        CountDownLatch done = new CountDownLatch(rounds * bodies.size());
        try (LoadClient client = LoadClient.create(kind, uri)) {
            for (int i = 0; i < rounds; i++) {
                for (String body : bodies) {
                    client.send("tok", body, (status, timing) -> {
                        results.add(status + " " + timing);
                        done.countDown();
                    });
                }
                Thread.sleep(2);
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            server.stop(0);
        }
        assertThat(seen).hasSize(rounds * 3).allMatch(s -> s.startsWith("Bearer tok {\"q\": "));
        assertThat(results.stream().filter(r -> r.equals("200 app;dur=1.5"))).hasSize(rounds * 2);
        assertThat(results.stream().filter(r -> r.equals("401 app;dur=1.5"))).hasSize(rounds);
    }

    @ParameterizedTest
    @EnumSource(LoadClient.Kind.class)
    void anUnreachableServerIsAFailedRequestNotAnException(LoadClient.Kind kind) throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        CountDownLatch done = new CountDownLatch(1);
        int[] status = {0};
        try (LoadClient client = LoadClient.create(kind, URI.create("http://127.0.0.1:" + port + "/v1/retrieve"))) {
            client.send("tok", "{}", (code, timing) -> {
                status[0] = code;
                done.countDown();
            });
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(status[0]).isEqualTo(-1);
    }
}
