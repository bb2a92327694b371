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
         * one thread wake-up. On a 2-core VM a wake-up costs about 0.2 ms of CPU, and the library clients cost
         * 2.5-3.5 ms of CPU per request in the load process; this is what the benchmark uses by default.
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

    /** HTTP/1.1 over blocking keep-alive sockets; see {@link Kind#RAW}. */
    final class Raw implements LoadClient {
        private final String host;
        private final int port;
        private final String head;
        // last in, first out: the busiest connections stay warm, spare ones age out (the server closes idle ones)
        private final java.util.Deque<Connection> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();
        private final java.util.Set<Connection> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Raw(URI uri) {
            this.host = uri.getHost();
            this.port = uri.getPort();
            this.head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: application/json\r\nAuthorization: Bearer ";
        }

        @Override
        public void send(String token, String body, Callback callback) {
            byte[] content = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] request = (head + token + "\r\nContent-Length: " + content.length + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Connection c = idle.pollFirst();
            try {
                if (c == null) {
                    c = new Connection();
                }
                c.send(request, callback);
            } catch (IOException e) {
                if (c != null) {
                    c.close();
                }
                callback.done(-1, "");
            }
        }

        @Override
        public void close() {
            closed = true;
            open.forEach(Connection::close);
        }

        /** One keep-alive connection with one request in flight at most, and the thread that reads its responses. */
        private final class Connection {
            private final java.net.Socket socket;
            private final java.io.InputStream in;
            private final java.io.OutputStream out;
            private volatile Callback pending;

            Connection() throws IOException {
                socket = new java.net.Socket(host, port);
                socket.setTcpNoDelay(true);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
                out = socket.getOutputStream();
                open.add(this);
                Thread reader = new Thread(this::readResponses, "load-client-reader");
                reader.setDaemon(true);
                reader.start();
            }

            void send(byte[] request, Callback callback) throws IOException {
                pending = callback; // before the write: the response may arrive before write() returns
                out.write(request);
                out.flush();
            }

            private void readResponses() {
                try {
                    while (!closed) {
                        String status = line();
                        if (status == null) {
                            break; // the server closed the connection
                        }
                        int code = Integer.parseInt(status.split(" ", 3)[1]);
                        long length = -1;
                        boolean chunked = false;
                        boolean keepAlive = true;
                        String timing = "";
                        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                            int colon = h.indexOf(':');
                            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                            String value = h.substring(colon + 1).trim();
                            switch (name) {
                                case "content-length" -> length = Long.parseLong(value);
                                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                                case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
                                case "server-timing" -> timing = value;
                                default -> { }
                            }
                        }
                        if (chunked) {
                            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                                    size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                                skip(size);
                                line();
                            }
                            while (!line().isEmpty()) {
                                // trailers
                            }
                        } else if (length > 0) {
                            skip(length);
                        }
                        Callback cb = pending;
                        pending = null;
                        if (keepAlive) {
                            idle.addFirst(this); // before the callback: the next request may use it at once
                        }
                        if (cb != null) {
                            cb.done(code, timing);
                        }
                        if (!keepAlive) {
                            break;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the pending request, if any, failed
                }
                Callback cb = pending;
                pending = null;
                close();
                if (cb != null) {
                    cb.done(-1, "");
                }
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
                int status;
                String timing;
                try {
                    var result = http.execute(post, response -> {
                        EntityUtils.consume(response.getEntity()); // the whole body, as an assistant would read it
                        Header h = response.getFirstHeader("Server-Timing");
                        return new Object[] {response.getCode(), h == null ? "" : h.getValue()};
                    });
                    status = (Integer) result[0];
                    timing = (String) result[1];
                } catch (IOException | RuntimeException e) {
                    status = -1;
                    timing = "";
                }
                callback.done(status, timing);
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

    /** The JDK client, as the benchmark used before; kept to compare what the client itself costs. */
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
