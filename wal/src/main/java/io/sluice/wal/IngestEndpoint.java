package io.sluice.wal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a reliable receiver, without Spark: {@code POST /events} with newline-delimited JSON (optionally
 * {@code Content-Encoding: gzip}) is answered {@code 200 {"stored":N}} only after {@link Store#store} returned, that is
 * after Spark wrote the block to the receiver write-ahead log. It serves HTTPS when the settings hold a key
 * ({@link ReceiverTls}), plain HTTP only when they hold none. The bearer token is compared in constant time; {@code POST
 * /restart} always needs it (403 when the receiver has none). Every other outcome stores nothing: 401 (token), 413
 * (body over the cap, or more lines than {@link ReceiverSettings#maxLines}: the limits that make every acknowledged
 * block processable; the sender splits the request), 400 (truncated gzip), 405/404, and 503 with {@code Retry-After} when the store failed or the receiver is
 * stopping; the sender retries those. The body is split into lines on bytes ({@link NdjsonLines}) and never decoded:
 * lines are not parsed here, so a malformed event, invalid UTF-8 included, is stored like any other and dead-lettered
 * downstream, as from Kafka.
 */
public final class IngestEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestEndpoint.class);
    public static final String PATH = "/events";
    public static final String RESTART_PATH = "/restart";

    /** Where accepted lines go; returns only once they are safely stored (or throws). */
    @FunctionalInterface
    public interface Store {
        void store(List<byte[]> lines) throws Exception;
    }

    private final ReceiverSettings settings;
    private final Store store;
    private final BooleanSupplier accepting;
    private volatile Runnable onRestart = () -> {};
    private final HttpServer server;
    private final ExecutorService threads;

    private IngestEndpoint(ReceiverSettings settings, Store store, BooleanSupplier accepting, HttpServer server) {
        this.settings = settings;
        this.store = store;
        this.accepting = accepting;
        this.server = server;
        this.threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sluice-ingest-" + server.getAddress().getPort());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Binds the first free port of the settings' range on {@code host} and starts serving (HTTPS when the settings
     * hold a key). A receiver without a token logs a warning at every start.
     */
    public static IngestEndpoint start(ReceiverSettings settings, Store store, BooleanSupplier accepting)
            throws IOException {
        SSLContext tls = null;
        if (settings.tls() != null) {
            try {
                tls = settings.tls().sslContext();
            } catch (GeneralSecurityException e) {
                throw new IOException("the receivers' keystore does not open: " + e.getMessage(), e);
            }
        }
        IOException last = null;
        for (int port = settings.portFrom(); port <= settings.portTo(); port++) {
            try {
                InetSocketAddress address = new InetSocketAddress(settings.host(), port);
                HttpServer server;
                if (tls != null) {
                    HttpsServer https = HttpsServer.create(address, 64);
                    https.setHttpsConfigurator(new HttpsConfigurator(tls));
                    server = https;
                } else {
                    server = HttpServer.create(address, 64);
                }
                IngestEndpoint endpoint = new IngestEndpoint(settings, store, accepting, server);
                server.createContext("/", endpoint::handle);
                server.setExecutor(endpoint.threads);
                server.start();
                if (settings.token() == null) {
                    LOG.warn(
                            "receiver {}:{} accepts events from anyone: no bearer token"
                                    + " (sluice.http-source.allow-anonymous=true); POST /restart is refused",
                            settings.host(),
                            endpoint.port());
                }
                if (tls == null) {
                    LOG.warn(
                            "receiver {}:{} serves plain HTTP (sluice.http-source.plain-http=true): events and the"
                                    + " token cross the network unencrypted",
                            settings.host(),
                            endpoint.port());
                }
                return endpoint;
            } catch (BindException e) {
                last = e;
            }
        }
        throw new IOException(
                "no free port in " + settings.portFrom() + "-" + settings.portTo() + " on " + settings.host(), last);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code host:port}, as registered in ZooKeeper. */
    public String address() {
        return settings.host() + ":" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health")) {
                reply(
                        exchange,
                        accepting.getAsBoolean() ? 200 : 503,
                        "{\"accepting\":" + accepting.getAsBoolean() + ",\"pid\":"
                                + ProcessHandle.current().pid() + "}"); // which JVM (executor) serves it
                return;
            }
            if (!path.equals(PATH) && !path.equals(RESTART_PATH)) {
                reply(exchange, 404, "{\"error\":\"POST newline-delimited events to " + PATH + "\"}");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 405, "{\"error\":\"use POST\"}");
                return;
            }
            if (path.equals(RESTART_PATH) && settings.token() == null) {
                reply(exchange, 403, "{\"error\":\"restart needs the receivers' bearer token, and they have none\"}");
                return;
            }
            if (!authorized(exchange)) {
                reply(exchange, 401, "{\"error\":\"missing or wrong bearer token\"}");
                return;
            }
            if (path.equals(RESTART_PATH)) {
                reply(exchange, 202, "{\"restarting\":true}");
                onRestart.run();
                return;
            }
            byte[] body = readLimited(exchange.getRequestBody());
            if (body == null) {
                reply(exchange, 413, "{\"error\":\"body over " + settings.maxBodyBytes() + " bytes\"}");
                return;
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try {
                    body = readLimited(new GZIPInputStream(new java.io.ByteArrayInputStream(body)));
                } catch (EOFException | ZipException e) {
                    reply(exchange, 400, "{\"error\":\"truncated or invalid gzip body\"}");
                    return;
                }
                if (body == null) {
                    reply(
                            exchange,
                            413,
                            "{\"error\":\"uncompressed body over " + settings.maxBodyBytes() + " bytes\"}");
                    return;
                }
            }
            int count = NdjsonLines.count(body);
            if (count > settings.maxLines()) { // checked before the lines are copied
                reply(
                        exchange,
                        413,
                        "{\"error\":\"" + count + " lines, over the limit of " + settings.maxLines()
                                + " lines per request (sluice.http-source.max-lines): split the request\"}");
                return;
            }
            List<byte[]> lines = NdjsonLines.split(body);
            if (!accepting.getAsBoolean()) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                reply(exchange, 503, "{\"error\":\"receiver stopping\"}");
                return;
            }
            try {
                store.store(lines);
            } catch (Exception e) {
                LOG.warn("storing {} events failed; answering 503", lines.size(), e);
                exchange.getResponseHeaders().add("Retry-After", "1");
                reply(exchange, 503, "{\"error\":\"not stored, retry\"}");
                return;
            }
            reply(exchange, 200, "{\"stored\":" + lines.size() + "}");
        }
    }

    private boolean authorized(HttpExchange exchange) {
        return settings.token() == null
                || tokenMatches(settings.token(), exchange.getRequestHeaders().getFirst("Authorization"));
    }

    /**
     * Whether {@code header} is {@code Bearer <token>}, in a time that depends on the token's length only (never on
     * how many leading characters a guess got right).
     */
    public static boolean tokenMatches(String token, String header) {
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

    /**
     * What {@code POST /restart} does (after answering 202): an operator's way to move a receiver, e.g. off an executor
     * about to be drained; senders fail over meanwhile.
     */
    public void onRestart(Runnable action) {
        this.onRestart = action;
    }

    /** The body, or null when it is longer than the cap (the rest is drained, not kept). */
    private byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        boolean over = false;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (total > settings.maxBodyBytes()) {
                over = true;
                continue;
            }
            out.write(buffer, 0, n);
        }
        return over ? null : out.toByteArray();
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    /** Stops accepting requests, lets those in flight finish for up to {@link #CLOSE_GRACE_S} s, then stops. */
    public void close() {
        server.stop(CLOSE_GRACE_S);
        threads.shutdownNow();
    }

    /** How long a closing endpoint waits for the requests in flight (a WAL write takes well under a second; before JDK 21 a stop always waits this long). */
    static final int CLOSE_GRACE_S = 1;
}
