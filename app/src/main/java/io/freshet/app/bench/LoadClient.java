package io.freshet.app.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The serving benchmark's HTTP client: sends one retrieve request without waiting for it and reports its status and
 * {@code Server-Timing} header once the whole body has been read. The load generator shares the machine's cores with
 * the service, so what the client costs per request shows up in the service's latency; the benchmark reports it.
 */
public interface LoadClient extends AutoCloseable {

    /** What came back: the HTTP status ({@code -1} when the request failed) and the Server-Timing value. */
    interface Callback {
        void done(int status, String serverTiming);
    }

    /** Sends {@code body} with {@code token}; {@code callback} runs once the response was read in full. */
    void send(String token, String body, Callback callback);

    @Override
    void close();

    /** The clients the benchmark can use. */
    enum Kind {
        /**
         * HTTP/1.1 written and parsed directly on blocking keep-alive sockets: the scheduling thread writes the
         * request itself and one reader thread per connection waits for the response, so a request costs the client
         * one thread wake-up. On the 2-core VM of BENCHMARKS.md the library clients cost 2.4-3.9 ms of CPU per request
         * in the load process and this one 0.7-1.0 ms; this is what the benchmark uses by default.
         */
        RAW,
        /** Apache HttpClient 5, classic blocking I/O on pooled keep-alive connections, a virtual thread per request. */
        APACHE,
        /** The JDK's {@code java.net.http.HttpClient}, asynchronous, HTTP/1.1. */
        JDK;

        /** The kind named {@code s} (case-insensitive); an unknown name is refused, naming it. */
        public static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("load client '" + s + "' is not one of raw, apache, jdk", e);
            }
        }
    }

    static LoadClient create(Kind kind, URI uri) {
        return switch (kind) {
            case RAW -> new Raw(uri);
            case APACHE -> new Apache(uri);
            case JDK -> new Jdk(uri);
        };
    }

    /**
     * HTTP/1.1 over blocking keep-alive sockets; see {@link Kind#RAW}. {@link #send} must be called from one thread
     * (the load generator's scheduler): it writes on the connection it takes.
     */
    final class Raw implements LoadClient {
        /** Connections open at most; a request finding none idle and this many open fails (a saturated client). */
        static final int MAX_CONNECTIONS = 512;
        private static final int TIMEOUT_MS = 60_000;
        /** A connection whose reader has stopped: it takes no more requests. */
        private static final Callback DEAD = (status, timing) -> { };

        private final java.net.InetSocketAddress address;
        private final String head;
        // last in, first out: the busiest connections stay warm, spare ones age out (the server closes idle ones)
        private final java.util.Deque<Connection> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();
        private final java.util.Set<Connection> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Raw(URI uri) {
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            this.address = new java.net.InetSocketAddress(uri.getHost(), port);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            this.head = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
                    + "\r\nContent-Type: application/json\r\nAuthorization: Bearer ";
        }

        @Override
        public void send(String token, String body, Callback callback) {
            byte[] content = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] request = (head + token + "\r\nContent-Length: " + content.length + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            while (!closed) {
                Connection c = idle.pollFirst();
                if (c == null) {
                    if (open.size() >= MAX_CONNECTIONS) {
                        break;
                    }
                    try {
                        c = new Connection();
                    } catch (IOException e) {
                        break;
                    }
                }
                if (!c.pending.compareAndSet(null, callback)) {
                    continue; // its reader stopped since it became idle: take another
                }
                try {
                    c.out.write(request);
                    c.out.flush();
                } catch (IOException e) {
                    c.close();
                    if (c.pending.compareAndSet(callback, DEAD)) { // else the reader has reported it
                        callback.done(-1, "");
                    }
                }
                return;
            }
            callback.done(-1, "");
        }

        @Override
        public void close() {
            closed = true;
            open.forEach(Connection::close);
        }

        /**
         * One keep-alive connection with one request in flight at most, and the thread that reads its responses.
         * {@link #pending} has exactly one owner at a time: the sender sets it on an idle connection, the reader
         * takes it with the response, or marks the connection {@link #DEAD} when it stops and fails what it held.
         */
        private final class Connection {
            private final java.net.Socket socket;
            private final java.io.InputStream in;
            private final java.io.OutputStream out;
            private final java.util.concurrent.atomic.AtomicReference<Callback> pending =
                    new java.util.concurrent.atomic.AtomicReference<>();

            Connection() throws IOException {
                socket = new java.net.Socket();
                socket.connect(address, TIMEOUT_MS);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(TIMEOUT_MS);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
                out = socket.getOutputStream();
                open.add(this);
                Thread reader = new Thread(this::readResponses, "load-client-reader");
                reader.setDaemon(true);
                reader.start();
            }

            private void readResponses() {
                try {
                    while (!closed && readResponse()) {
                        // next response
                    }
                } catch (IOException | RuntimeException e) {
                    // the request in flight, if any, failed
                }
                Callback cb = pending.getAndSet(DEAD);
                close();
                if (cb != null && cb != DEAD) {
                    cb.done(-1, "");
                }
            }

            /** Reads one final response in full and reports it; false when the connection must not be reused. */
            private boolean readResponse() throws IOException {
                String status = line();
                if (status == null) {
                    return false; // the server closed the connection
                }
                String[] parts = status.split(" ", 3);
                int code = Integer.parseInt(parts[1]);
                long length = -1;
                boolean chunked = false;
                boolean keepAlive = !parts[0].equals("HTTP/1.0");
                String timing = "";
                for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        continue; // not a header field
                    }
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                    switch (name) {
                        case "content-length" -> length = Long.parseLong(value);
                        case "transfer-encoding" -> chunked = value.contains("chunked");
                        case "connection" -> {
                            for (String token : value.split(",")) {
                                keepAlive = token.trim().equals("close") ? false
                                        : token.trim().equals("keep-alive") || keepAlive;
                            }
                        }
                        case "server-timing" -> timing = h.substring(colon + 1).trim();
                        default -> { }
                    }
                }
                if (code < 200) {
                    return true; // an interim response: the final one follows
                }
                if (code == 204 || code == 304) {
                    // no body, whatever the headers say
                } else if (chunked) {
                    for (long size = chunkSize(); size > 0; size = chunkSize()) {
                        skip(size);
                        line();
                    }
                    while (!line().isEmpty()) {
                        // trailer fields
                    }
                } else if (length >= 0) {
                    skip(length);
                } else {
                    while (in.read(new byte[8192]) >= 0) {
                        // the body ends with the connection
                    }
                    keepAlive = false;
                }
                Callback cb = pending.getAndSet(null);
                if (keepAlive) {
                    idle.addFirst(this); // before the callback: the next request may use it at once
                }
                if (cb != null) {
                    cb.done(code, timing);
                }
                return keepAlive;
            }

            private long chunkSize() throws IOException {
                String size = line();
                if (size == null) {
                    throw new java.io.EOFException("connection closed inside a chunked body");
                }
                return Long.parseLong(size.split(";")[0].trim(), 16);
            }

            /** A CRLF-terminated header line (ISO-8859-1), or null at end of stream. */
            private String line() throws IOException {
                StringBuilder b = new StringBuilder(64);
                for (int c = in.read(); c != '\n'; c = in.read()) {
                    if (c < 0) {
                        if (b.isEmpty()) {
                            return null;
                        }
                        throw new java.io.EOFException("connection closed inside a header line");
                    }
                    if (c != '\r') {
                        b.append((char) c);
                    }
                }
                return b.toString();
            }

            /** Reads and drops {@code n} bytes. */
            private void skip(long n) throws IOException {
                byte[] buf = new byte[8192];
                while (n > 0) {
                    int r = in.read(buf, 0, (int) Math.min(buf.length, n));
                    if (r < 0) {
                        throw new java.io.EOFException("connection closed inside a body");
                    }
                    n -= r;
                }
            }

            void close() {
                open.remove(this);
                idle.remove(this);
                try {
                    socket.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }
    }

    /** Blocking requests on virtual threads over a pool of keep-alive connections. */
    final class Apache implements LoadClient {
        private final URI uri;
        private final CloseableHttpClient http;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

        Apache(URI uri) {
            this.uri = uri;
            PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(256).setMaxConnPerRoute(256)
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(10)).setSocketTimeout(Timeout.ofSeconds(60)).build())
                    .build();
            this.http = HttpClients.custom().setConnectionManager(connections).disableAutomaticRetries()
                    .disableContentCompression().disableCookieManagement().disableRedirectHandling().build();
        }

        @Override
        public void send(String token, String body, Callback callback) {
            threads.execute(() -> {
                HttpPost post = new HttpPost(uri);
                post.setHeader("Authorization", "Bearer " + token);
                post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
                record Answer(int status, String timing) {}
                Answer answer;
                try {
                    answer = http.execute(post, response -> {
                        EntityUtils.consume(response.getEntity()); // the whole body, as an assistant would read it
                        Header h = response.getFirstHeader("Server-Timing");
                        return new Answer(response.getCode(), h == null ? "" : h.getValue());
                    });
                } catch (IOException | RuntimeException e) {
                    answer = new Answer(-1, "");
                }
                callback.done(answer.status(), answer.timing());
            });
        }

        @Override
        public void close() {
            threads.shutdownNow();
            try {
                http.close();
            } catch (IOException e) {
                // closing: nothing left to measure
            }
        }
    }

    /**
     * The JDK client, which the benchmark used before (then also parsing each body as JSON); kept to compare what
     * the client itself costs.
     */
    final class Jdk implements LoadClient {
        private final URI uri;
        private final ExecutorService executor = Executors.newFixedThreadPool(4);
        private final HttpClient http;

        Jdk(URI uri) {
            this.uri = uri;
            this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).build();
        }

        @Override
        public void send(String token, String body, Callback callback) {
            HttpRequest req = HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> callback.done(
                    err != null ? -1 : resp.statusCode(),
                    err != null ? "" : resp.headers().firstValue("Server-Timing").orElse("")));
        }

        @Override
        public void close() {
            http.shutdownNow();
            executor.shutdownNow();
        }
    }
}
