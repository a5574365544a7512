package io.sluice.wal;

import io.sluice.checkpoint.ZooKeeperClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.curator.framework.CuratorFramework;

/**
 * Pushes events to Sluice's HTTP receivers and never drops one it was given: events go in batches of newline-delimited
 * JSON, the batches taking turns over the live receivers; a batch counts as delivered only on {@code 200}. On {@code 503}, a timeout or a connection error it waits
 * (exponential backoff up to a limit) and tries the next live receiver (from ZooKeeper, re-read after each failure).
 * A timed-out request may have been stored: the retry can store it twice, which the pipeline's idempotent outputs
 * absorb. {@code 413} (over one of the receiver's limits: body bytes, lines per request) splits the batch in halves
 * until each part is accepted, so no event is dropped; only a single event larger than the body limit cannot be split,
 * and stops the sender like {@code 401} and {@code 400} (the sender's own errors): with a {@link RejectedException}
 * naming how many events were delivered before. Events are sent as the bytes they were given, never re-encoded: one
 * that is not UTF-8 is stored and dead-lettered downstream.
 */
public final class EventSender implements AutoCloseable {
    /**
     * @param batchSize events per request
     * @param requestTimeout how long to wait for an answer before retrying elsewhere
     * @param maxBackoff the longest wait between attempts
     * @param token the receivers' bearer token (null: none)
     * @param gzip compress request bodies
     * @param tls how receivers' certificates are verified (null: plain HTTP, no TLS)
     */
    public record Options(
            int batchSize, Duration requestTimeout, Duration maxBackoff, String token, boolean gzip, SSLContext tls) {
        /** HTTPS verified against the JVM's default trust store, no token, batches of 500, no compression. */
        public static Options defaults() {
            try {
                return new Options(
                        500, Duration.ofSeconds(30), Duration.ofSeconds(5), null, false, SSLContext.getDefault());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM has no default TLS context", e);
            }
        }

        public Options withToken(String t) {
            return new Options(batchSize, requestTimeout, maxBackoff, t, gzip, tls);
        }

        public Options withBatchSize(int n) {
            return new Options(n, requestTimeout, maxBackoff, token, gzip, tls);
        }

        public Options withRequestTimeout(Duration d) {
            return new Options(batchSize, d, maxBackoff, token, gzip, tls);
        }

        public Options withGzip(boolean on) {
            return new Options(batchSize, requestTimeout, maxBackoff, token, on, tls);
        }

        /** HTTPS, receivers' certificates verified with {@code context} (e.g. {@link #trusting}). */
        public Options withTls(SSLContext context) {
            return new Options(batchSize, requestTimeout, maxBackoff, token, gzip, context);
        }

        /** Plain HTTP: for receivers started with {@code sluice.http-source.plain-http=true}. */
        public Options withPlainHttp() {
            return new Options(batchSize, requestTimeout, maxBackoff, token, gzip, null);
        }

        /** Never prints the token. */
        @Override
        public String toString() {
            return "Options[batchSize=" + batchSize + ", token=" + (token != null ? "***" : "none") + ", "
                    + (tls != null ? "https" : "http") + "]";
        }
    }

    /**
     * A client context that trusts only the certificates of {@code pemFile} (PEM or DER: a CA, or the receivers'
     * self-signed certificate), as {@code sluice send --cacert} takes it. Host names are verified against them.
     *
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static SSLContext trusting(Path pemFile) throws IOException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException(pemFile + " holds no certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read certificates from " + pemFile + ": " + e.getMessage(), e);
        }
    }

    /** A request the receivers refuse for good (bad token, bad body): retrying cannot help. */
    public static final class RejectedException extends IOException {
        public RejectedException(String message) {
            super(message);
        }
    }

    private final Supplier<List<String>> receivers;
    private final CuratorFramework zk;
    private final Options options;
    private final HttpClient http;
    private int next;
    private long delivered;
    private long retries;

    private EventSender(Supplier<List<String>> receivers, CuratorFramework zk, Options options) {
        this.receivers = receivers;
        this.zk = zk;
        this.options = options;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (options.tls() != null) {
            client.sslContext(options.tls());
        }
        this.http = client.build();
    }

    /** A sender that finds the receivers registered under {@code registryPath}. */
    public static EventSender discovering(String zookeeper, String registryPath, Options options) {
        CuratorFramework zk = ZooKeeperClients.client(zookeeper);
        zk.start();
        return new EventSender(
                () -> {
                    try {
                        return ReceiverRegistry.live(zk, registryPath);
                    } catch (Exception e) {
                        return List.of();
                    }
                },
                zk,
                options);
    }

    /** A sender to fixed {@code host:port} receivers. */
    public static EventSender to(List<String> addresses, Options options) {
        List<String> copy = List.copyOf(addresses);
        return new EventSender(() -> copy, null, options);
    }

    /** Sends every event of {@code events}; returns how many, once all are acknowledged. */
    public long send(Iterator<byte[]> events) throws IOException, InterruptedException {
        List<byte[]> batch = new ArrayList<>(options.batchSize());
        long sent = 0;
        while (events.hasNext()) {
            batch.add(events.next());
            if (batch.size() == options.batchSize()) {
                sent += deliver(batch);
                batch = new ArrayList<>(options.batchSize());
            }
        }
        if (!batch.isEmpty()) {
            sent += deliver(batch);
        }
        return sent;
    }

    /** Events acknowledged so far. */
    public synchronized long delivered() {
        return delivered;
    }

    /** Attempts that failed and were made again. */
    public synchronized long retries() {
        return retries;
    }

    private long deliver(List<byte[]> batch) throws IOException, InterruptedException {
        long backoffMs = 100;
        while (true) {
            List<String> live = receivers.get();
            if (live.isEmpty()) {
                backoffMs = pause(backoffMs);
                continue;
            }
            String target = live.get(Math.floorMod(next, live.size()));
            int status;
            try {
                HttpResponse<String> response = http.send(request(target, batch), HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                if (status == 200) {
                    synchronized (this) {
                        delivered += batch.size();
                    }
                    next++; // batches take turns over the receivers
                    return batch.size();
                }
                if (status == 413 && batch.size() > 1) {
                    int half = batch.size() / 2;
                    return deliver(batch.subList(0, half)) + deliver(batch.subList(half, batch.size()));
                }
                if (status == 401 || status == 400 || status == 413 || status == 404 || status == 405) {
                    throw new RejectedException("receiver " + target + " refused a batch of " + batch.size()
                            + " events with " + status + " " + response.body() + " after " + delivered()
                            + " events were delivered");
                }
            } catch (SSLHandshakeException e) {
                // a certificate this sender does not trust (or a plain-HTTP receiver): no retry makes it trusted
                throw new RejectedException("receiver " + target + " failed the TLS handshake (" + e.getMessage()
                        + ") after " + delivered() + " events were delivered: check --cacert and the receivers'"
                        + " certificate (its names must include " + target.substring(0, target.lastIndexOf(':'))
                        + ")");
            } catch (IOException e) {
                if (e instanceof RejectedException) {
                    throw e;
                }
                // connection refused or reset, or no answer within the timeout: try the next receiver
            }
            synchronized (this) {
                retries++;
            }
            next++;
            backoffMs = pause(backoffMs);
        }
    }

    private long pause(long backoffMs) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(backoffMs);
        return Math.min(backoffMs * 2, options.maxBackoff().toMillis());
    }

    private HttpRequest request(String target, List<byte[]> batch) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (var out = options.gzip() ? new GZIPOutputStream(body) : body) {
            for (byte[] event : batch) {
                out.write(event);
                out.write('\n');
            }
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create((options.tls() != null ? "https://" : "http://") + target + IngestEndpoint.PATH))
                .timeout(options.requestTimeout())
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (options.gzip()) {
            builder.header("Content-Encoding", "gzip");
        }
        if (options.token() != null) {
            builder.header("Authorization", "Bearer " + options.token());
        }
        return builder.build();
    }

    @Override
    public void close() {
        if (zk != null) {
            zk.close();
        }
    }
}
