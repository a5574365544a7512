package io.sluice.driver.results.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.sluice.wal.IngestEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice results serve}: the results API, its page and its metrics over the JDK's {@code HttpServer} (as the
 * driver's status endpoints). Read-only: it only reads the results table.
 *
 * <ul>
 *   <li>{@code /api/...} ({@link ResultsApi}): JSON, only with {@code Authorization: Bearer <token>} (the receivers'
 *       token, compared in constant time by {@link IngestEndpoint#tokenMatches}); 401 without it, 503 when the table
 *       cannot be read;
 *   <li>{@code /metrics}: Prometheus text ({@link SrmCollector}), open like the driver's;
 *   <li>{@code /}: the page (static files holding no data; it asks the API with the token). Its charts are uPlot 1.6.32
 *       (MIT): {@code uPlot.iife.min.js}, {@code uPlot.min.css} and {@code uPlot.LICENSE} are the npm package
 *       {@code uplot@1.6.32}'s {@code dist/} files and LICENSE as published ({@code npm pack uplot@1.6.32}, integrity
 *       {@code sha512-KIMVnG68zvu5XXUbC4LQEPnhwOxBuLyW1AHtpm6IKTXImkbLgkMy+jabjLgSLMasNuGGzQm/ep3tOkyTxpiQIw==}).
 * </ul>
 *
 * Only GET and HEAD are answered (405 otherwise).
 */
public final class ResultsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEB = "/io/sluice/driver/results/serve/web/";
    /** The page's files: request path -> resource name and content type. Nothing else is served. */
    private static final Map<String, String[]> STATIC = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/results.js", new String[] {"results.js", "text/javascript; charset=utf-8"},
            "/results.css", new String[] {"results.css", "text/css; charset=utf-8"},
            "/uPlot.iife.min.js", new String[] {"uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "/uPlot.min.css", new String[] {"uPlot.min.css", "text/css; charset=utf-8"},
            "/uPlot.LICENSE", new String[] {"uPlot.LICENSE", "text/plain; charset=utf-8"});

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ResultsApi api;
    private final String token;
    private final CollectorRegistry registry = new CollectorRegistry();

    private ResultsServer(HttpServer server, ExecutorService executor, ResultsApi api, String token) {
        this.server = server;
        this.executor = executor;
        this.api = api;
        this.token = token;
        new SrmCollector(api).register(registry);
    }

    /**
     * Starts on {@code port} (0: any free port) of {@code host}.
     *
     * @param token the bearer token every API request must carry (not blank)
     */
    public static ResultsServer start(String host, int port, ResultsApi api, String token) throws IOException {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the results API needs a bearer token");
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 32);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "results-http");
            t.setDaemon(true);
            return t;
        });
        ResultsServer server = new ResultsServer(http, executor, api, token);
        http.createContext("/api", server::api);
        http.createContext("/metrics", server::metrics);
        http.createContext("/", server::page);
        http.setExecutor(executor);
        http.start();
        LOG.info(
                "results API on http://{}:{}/ (/api/experiments, /api/experiments/ACCOUNT/EXPERIMENT, /api/top,"
                        + " /api/watermark with the bearer token; /metrics)",
                host,
                server.port());
        return server;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!readOnly(exchange)) {
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            if (!IngestEndpoint.tokenMatches(token, exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                json(exchange, ResultsApi.error(401, "missing or wrong bearer token"));
                return;
            }
            if (!path.equals("/api") && !path.startsWith("/api/")) {
                json(exchange, ResultsApi.error(404, "no such resource: " + path));
                return;
            }
            ResultsApi.Answer answer;
            try {
                answer = api.get(path.substring("/api".length()));
            } catch (IOException e) {
                LOG.warn("reading the results table for {} failed: {}", path, e.toString());
                answer = ResultsApi.error(503, "the results table cannot be read: " + e.getMessage());
            }
            json(exchange, answer);
        } catch (RuntimeException e) {
            LOG.warn("results request {} failed", exchange.getRequestURI(), e);
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!readOnly(exchange)) {
                return;
            }
            StringWriter out = new StringWriter();
            TextFormat.write004(out, registry.metricFamilySamples());
            send(exchange, 200, TextFormat.CONTENT_TYPE_004, out.toString().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("metrics request failed", e);
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!readOnly(exchange)) {
                return;
            }
            String[] file = STATIC.get(exchange.getRequestURI().getPath());
            if (file == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (InputStream in = Objects.requireNonNull(
                    ResultsServer.class.getResourceAsStream(WEB + file[0]), "resource " + file[0])) {
                body = in.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
            send(exchange, 200, file[1], body);
        } catch (RuntimeException e) {
            LOG.warn("page request {} failed", exchange.getRequestURI(), e);
        }
    }

    private static boolean readOnly(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return false;
    }

    private static void json(HttpExchange exchange, ResultsApi.Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, answer.status(), "application/json; charset=utf-8", JSON.writeValueAsBytes(answer.body()));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
