package io.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Status codes of the receiver's HTTP side over real HTTP; the store records what it was given. */
class IngestEndpointTest {
    private final List<String> stored = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failStore = new AtomicBoolean();
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final HttpClient http = HttpClient.newHttpClient();
    private IngestEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        endpoint = IngestEndpoint.start(
                ReceiverSettings.local("127.0.0.1", 1024).withToken("s3cret").withMaxLines(5),
                lines -> {
                    if (failStore.get()) {
                        throw new IllegalStateException("block manager full");
                    }
                    lines.forEach(l -> stored.add(new String(l, StandardCharsets.UTF_8)));
                },
                accepting::get);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> post(byte[] body, String token, boolean gzip) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + endpoint.address() + "/events"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (gzip) {
            b.header("Content-Encoding", "gzip");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void storedLinesAreAcknowledgedWithTheirCountMalformedOnesIncluded() throws Exception {
        HttpResponse<String> r =
                post("{\"event_id\":\"a\"}\r\n\nnot json\n  \n{\"event_id\":\"b\"}".getBytes(), "s3cret", false);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"stored\":3}");
        assertThat(stored).containsExactly("{\"event_id\":\"a\"}", "not json", "{\"event_id\":\"b\"}");

        r = post(gzip("{\"event_id\":\"c\"}\n".getBytes()), "s3cret", true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(stored).hasSize(4).last().isEqualTo("{\"event_id\":\"c\"}");
    }

    @Test
    void badRequestsGetTheirStatusAndStoreNothing() throws Exception {
        assertThat(post("{}".getBytes(), "wrong", false).statusCode()).isEqualTo(401);
        assertThat(post("{}".getBytes(), null, false).statusCode()).isEqualTo(401);
        byte[] big = new byte[2048];
        Arrays.fill(big, (byte) 'x');
        assertThat(post(big, "s3cret", false).statusCode()).isEqualTo(413);
        assertThat(post(gzip(big), "s3cret", true).statusCode())
                .as("over the cap once inflated")
                .isEqualTo(413);
        byte[] zipped = gzip("{\"event_id\":\"z\"}\n".getBytes());
        assertThat(post(Arrays.copyOf(zipped, zipped.length - 6), "s3cret", true)
                        .statusCode())
                .as("truncated gzip")
                .isEqualTo(400);
        HttpResponse<String> lines = post("{}\n{}\n{}\n\n{}\n{}\n{}\n".getBytes(), "s3cret", false);
        assertThat(lines.statusCode()).as("6 lines, over 5").isEqualTo(413);
        assertThat(lines.body()).contains("6 lines, over the limit of 5 lines per request");
        assertThat(stored).isEmpty();
        // and a good request right after is served
        assertThat(post("{\"event_id\":\"ok\"}".getBytes(), "s3cret", false).statusCode())
                .isEqualTo(200);
        assertThat(stored).containsExactly("{\"event_id\":\"ok\"}");
    }

    @Test
    void aLineThatIsNotUtf8IsStoredAsItsBytesWithTheOthers() throws Exception {
        List<byte[]> blocks = new CopyOnWriteArrayList<>();
        byte[] body = {'{', '}', '\n', '{', (byte) 0xC3, (byte) 0x28, '}', '\n', '[', ']'};
        try (IngestEndpoint raw =
                IngestEndpoint.start(ReceiverSettings.local("127.0.0.1", 1024), blocks::addAll, () -> true)) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + raw.address() + "/events"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"stored\":3}");
        }
        assertThat(blocks).hasSize(3);
        assertThat(blocks.get(1)).containsExactly('{', (byte) 0xC3, (byte) 0x28, '}');
    }

    @Test
    void aFailedStoreOrAStoppingReceiverAnswers503WithRetryAfter() throws Exception {
        failStore.set(true);
        HttpResponse<String> r = post("{}".getBytes(), "s3cret", false);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
        failStore.set(false);
        accepting.set(false);
        r = post("{}".getBytes(), "s3cret", false);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
        assertThat(stored).isEmpty();
    }
}
