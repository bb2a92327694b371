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
            if (body.contains("close")) {
                ex.getResponseHeaders().add("Connection", "close"); // the server closes the connection after it
            }
            // a fixed-length body, or a chunked one when the request asks for it
            ex.sendResponseHeaders(refuse ? 401 : 200, body.contains("chunked") ? 0 : out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/retrieve");
        ConcurrentLinkedQueue<String> results = new ConcurrentLinkedQueue<>();
        List<String> bodies = List.of("{\"q\": \"fixed\"}", "{\"q\": \"chunked\"}", "{\"q\": \"refuse\"}",
                "{\"q\": \"close\"}");
        int rounds = 20;
        CountDownLatch done = new CountDownLatch(rounds * bodies.size());
        java.util.concurrent.atomic.AtomicInteger callbacks = new java.util.concurrent.atomic.AtomicInteger();
        try (LoadClient client = LoadClient.create(kind, uri)) {
            for (int i = 0; i < rounds; i++) {
                for (String body : bodies) {
                    client.send("tok", body, (status, timing) -> {
                        callbacks.incrementAndGet();
                        results.add(status + " " + timing);
                        done.countDown();
                    });
                }
                Thread.sleep(2);
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200);
        } finally {
            server.stop(0);
        }
        assertThat(callbacks).hasValue(rounds * bodies.size()); // exactly one answer per request
        assertThat(seen).hasSize(rounds * bodies.size()).allMatch(s -> s.startsWith("Bearer tok {\"q\": "));
        assertThat(results.stream().filter(r -> r.equals("200 app;dur=1.5"))).hasSize(rounds * 3);
        assertThat(results.stream().filter(r -> r.equals("401 app;dur=1.5"))).hasSize(rounds);
    }

    /**
     * The raw client's parser: an interim 100 before the final answer, a 204 whose Content-Length is ignored, an
     * HTTP/1.0 body that ends with the connection, a header line without a colon.
     */
    @org.junit.jupiter.api.Test
    void rawClientParsesInterimNoContentAndCloseDelimitedResponses() throws Exception {
        List<String> scripts = List.of(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nServer-Timing: app;dur=1\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 204\r\nContent-Length: 10\r\nServer-Timing: app;dur=2\r\n\r\n",
                "HTTP/1.0 200 OK\r\nnot a header\r\nServer-Timing: app;dur=3\r\n\r\nbody until close");
        ConcurrentLinkedQueue<String> results = new ConcurrentLinkedQueue<>();
        try (var server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (var sock = server.accept()) {
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(sock.getInputStream(), StandardCharsets.ISO_8859_1));
                    for (String script : scripts) {
                        int length = 0;
                        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                            if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                                length = Integer.parseInt(h.substring(15).trim());
                            }
                        }
                        in.skip(length);
                        sock.getOutputStream().write(script.getBytes(StandardCharsets.ISO_8859_1));
                        sock.getOutputStream().flush();
                    }
                } catch (java.io.IOException e) {
                    // the test fails on the answers
                }
            });
            t.start();
            try (LoadClient client = LoadClient.create(LoadClient.Kind.RAW, URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x"))) {
                for (int i = 0; i < scripts.size(); i++) {
                    CountDownLatch one = new CountDownLatch(1);
                    client.send("tok", "{}", (status, timing) -> {
                        results.add(status + " " + timing);
                        one.countDown();
                    });
                    assertThat(one.await(10, TimeUnit.SECONDS)).isTrue();
                }
            }
            t.join(10_000);
        }
        assertThat(results).containsExactly("200 app;dur=1", "204 app;dur=2", "200 app;dur=3");
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
