package io.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.checkpoint.ZooKeeperAuth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may push to or restart a receiver, and over what: tokens, anonymous receivers, TLS. Real HTTP(S). */
class ReceiverSecurityTest {
    @TempDir
    static Path dir;

    private static SelfSignedKeystore keys;
    private final List<String> stored = new CopyOnWriteArrayList<>();
    private final AtomicInteger restarts = new AtomicInteger();

    @BeforeAll
    static void makeKeystore() throws Exception {
        keys = SelfSignedKeystore.create(dir);
    }

    private IngestEndpoint start(ReceiverSettings settings) throws IOException {
        IngestEndpoint endpoint = IngestEndpoint.start(
                settings, lines -> lines.forEach(l -> stored.add(new String(l, StandardCharsets.UTF_8))), () -> true);
        endpoint.onRestart(restarts::incrementAndGet);
        return endpoint;
    }

    private static HttpResponse<String> post(HttpClient client, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"a\"}\n"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReceiverWithoutATokenIsRefusedUnlessAnonymousSendersAreAllowed() {
        assertThatThrownBy(() -> new ReceiverSettings(
                        "127.0.0.1", 0, 0, 1024, 10, null, false, null, null, ZooKeeperAuth.NONE, null, null))
                .hasMessageStartingWith("a receiver needs a bearer token (sluice.http-source.token-env)");
        assertThat(new ReceiverSettings(
                                "127.0.0.1", 0, 0, 1024, 10, null, true, null, null, ZooKeeperAuth.NONE, null, null)
                        .token())
                .isNull();
    }

    @Test
    void restartAlwaysNeedsTheToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (IngestEndpoint anonymous = start(ReceiverSettings.local("127.0.0.1", 1024))) {
            String url = "http://" + anonymous.address();
            assertThat(post(http, url + "/events", null).statusCode()).isEqualTo(200);
            assertThat(post(http, url + "/restart", null).statusCode()).isEqualTo(403);
            assertThat(post(http, url + "/restart", "anything").statusCode()).isEqualTo(403);
        }
        try (IngestEndpoint guarded =
                start(ReceiverSettings.local("127.0.0.1", 1024).withToken("s3cret"))) {
            String url = "http://" + guarded.address();
            assertThat(post(http, url + "/restart", null).statusCode()).isEqualTo(401);
            assertThat(post(http, url + "/restart", "s3cre").statusCode()).isEqualTo(401);
            assertThat(post(http, url + "/restart", "s3cret").statusCode()).isEqualTo(202);
        }
        assertThat(restarts).hasValue(1);
        assertThat(stored).hasSize(1);
    }

    @Test
    void tokensAreComparedWholeAndExactly() {
        assertThat(IngestEndpoint.tokenMatches("s3cret", "Bearer s3cret")).isTrue();
        assertThat(IngestEndpoint.tokenMatches("s3cret", "Bearer s3cre")).isFalse();
        assertThat(IngestEndpoint.tokenMatches("s3cret", "Bearer s3cret2")).isFalse();
        assertThat(IngestEndpoint.tokenMatches("s3cret", "bearer s3cret")).isFalse();
        assertThat(IngestEndpoint.tokenMatches("s3cret", null)).isFalse();
        assertThat(IngestEndpoint.tokenMatches("s3cret", "")).isFalse();
    }

    @Test
    void overTlsASenderTrustingTheCertificateDeliversAndPlainHttpOrABadTokenStoresNothing() throws Exception {
        try (IngestEndpoint endpoint = start(
                ReceiverSettings.local("127.0.0.1", 1 << 20).withToken("s3cret").withTls(keys.tls()))) {
            SSLContext trusting = EventSender.trusting(keys.certificate());
            HttpClient https = HttpClient.newBuilder().sslContext(trusting).build();
            String address = endpoint.address();

            // plain HTTP to a TLS receiver: no answer a sender could take for an acknowledgement
            HttpClient plain = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            assertThatThrownBy(() -> post(plain, "http://" + address + "/events", "s3cret"))
                    .isInstanceOf(IOException.class);
            assertThat(post(https, "https://" + address + "/events", "wrong").statusCode())
                    .isEqualTo(401);
            assertThat(post(https, "https://" + address + "/events", null).statusCode())
                    .isEqualTo(401);
            assertThat(stored).isEmpty();

            try (EventSender untrusting = EventSender.to(
                    List.of(address), EventSender.Options.defaults().withToken("s3cret"))) {
                assertThatThrownBy(
                                () -> untrusting.send(List.of("{}".getBytes()).iterator()))
                        .isInstanceOf(EventSender.RejectedException.class)
                        .hasMessageContaining("failed the TLS handshake");
            }
            assertThat(stored).isEmpty();

            try (EventSender sender = EventSender.to(
                    List.of(address),
                    EventSender.Options.defaults().withToken("s3cret").withTls(trusting))) {
                assertThat(sender.send(
                                List.of("{\"event_id\":\"tls\"}".getBytes()).iterator()))
                        .isEqualTo(1);
            }
            assertThat(stored).containsExactly("{\"event_id\":\"tls\"}");
        }
    }

    @Test
    void aKeystoreThatDoesNotOpenIsNamed() throws Exception {
        assertThatThrownBy(() -> ReceiverTls.load(keys.keystore(), "wrong"))
                .hasMessageStartingWith("the keystore " + keys.keystore() + " does not open with the password given");
        Path text = Files.writeString(dir.resolve("not-a-keystore"), "hello");
        assertThatThrownBy(() -> ReceiverTls.load(text, "x")).hasMessageStartingWith("the keystore " + text);
        assertThat(keys.tls().toString()).doesNotContain(keys.password());
        assertThat(ReceiverSettings.local("h", 1024)
                        .withToken("s3cret")
                        .withTls(keys.tls())
                        .toString())
                .doesNotContain("s3cret")
                .doesNotContain(keys.password());
    }
}
