package io.sluice.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.wal.IngestEndpoint;
import io.sluice.wal.ReceiverSettings;
import io.sluice.wal.ReceiverTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./bin/sluice send} against a real receiver endpoint, and its argument errors. */
class SendCommandTest {
    @Test
    void sendsEveryLineOfTheFileAndExitsZero(@TempDir Path dir) throws Exception {
        List<String> stored = new CopyOnWriteArrayList<>();
        Path events = dir.resolve("events.ndjson");
        Files.writeString(events, "{\"event_id\":\"1\"}\n\n{\"event_id\":\"2\"}\n{\"event_id\":\"3\"}\n");
        try (IngestEndpoint endpoint = IngestEndpoint.start(
                ReceiverSettings.local("127.0.0.1", 1 << 20),
                lines -> lines.forEach(l -> stored.add(new String(l, StandardCharsets.UTF_8))),
                () -> true)) {
            int exit = SendCommand.run(
                    "--receivers",
                    endpoint.address(),
                    "--file",
                    events.toString(),
                    "--batch-size",
                    "2",
                    "--gzip",
                    "--plain-http");
            assertThat(exit).isZero();
        }
        assertThat(stored).containsExactly("{\"event_id\":\"1\"}", "{\"event_id\":\"2\"}", "{\"event_id\":\"3\"}");
    }

    @Test
    void aLineThatIsNotUtf8IsSentAsItsBytesAndTheRestFollows(@TempDir Path dir) throws Exception {
        List<byte[]> stored = new CopyOnWriteArrayList<>();
        Path events = dir.resolve("latin1.ndjson");
        Files.write(
                events,
                new byte[] {'{', '}', '\n', '{', '"', 'x', '"', ':', '"', (byte) 0xE9, '"', '}', '\n', '[', ']'});
        try (IngestEndpoint endpoint =
                IngestEndpoint.start(ReceiverSettings.local("127.0.0.1", 1 << 20), stored::addAll, () -> true)) {
            int exit = SendCommand.run("--receivers", endpoint.address(), "--file", events.toString(), "--plain-http");
            assertThat(exit).isZero();
        }
        assertThat(stored).hasSize(3);
        assertThat(stored.get(1)).containsExactly('{', '"', 'x', '"', ':', '"', (byte) 0xE9, '"', '}');
        assertThat(new String(stored.get(2), StandardCharsets.UTF_8)).isEqualTo("[]");
    }

    @Test
    void overHttpsTheReceiversCertificateIsVerifiedWithCacert(@TempDir Path dir) throws Exception {
        List<String> stored = new CopyOnWriteArrayList<>();
        Path events = dir.resolve("events.ndjson");
        Files.writeString(events, "{\"event_id\":\"1\"}\n{\"event_id\":\"2\"}\n");
        String password = "pw-" + System.nanoTime();
        Path keystore = dir.resolve("receiver.p12");
        Path certificate = dir.resolve("receiver.pem");
        keytool(
                "-genkeypair",
                "-alias",
                "r",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-keypass",
                password);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "r",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-file",
                certificate.toString());
        // the token is read from the environment: PATH stands in for a variable every test JVM has
        try (IngestEndpoint endpoint = IngestEndpoint.start(
                ReceiverSettings.local("127.0.0.1", 1 << 20)
                        .withToken(System.getenv("PATH"))
                        .withTls(ReceiverTls.load(keystore, password)),
                lines -> lines.forEach(l -> stored.add(new String(l, StandardCharsets.UTF_8))),
                () -> true)) {
            String[] args = {"--receivers", endpoint.address(), "--file", events.toString(), "--token-env", "PATH"};
            // without --cacert the JVM's authorities do not know the receiver: exit 1, nothing stored
            assertThat(SendCommand.run(args)).isEqualTo(1);
            assertThat(stored).isEmpty();
            assertThat(SendCommand.run(concat(args, "--cacert", certificate.toString(), "--plain-http")))
                    .isEqualTo(2);
            assertThat(SendCommand.run(concat(args, "--cacert", certificate.toString())))
                    .isZero();
        }
        assertThat(stored).containsExactly("{\"event_id\":\"1\"}", "{\"event_id\":\"2\"}");
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b))
                .toArray(String[]::new);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor())
                .as(new String(p.getInputStream().readAllBytes()))
                .isZero();
    }

    @Test
    void badArgumentsExitTwo(@TempDir Path dir) {
        assertThat(SendCommand.run("--file", dir.resolve("none").toString())).isEqualTo(2);
        assertThat(SendCommand.run("--receivers", "127.0.0.1:1", "--zookeeper", "z:2181", "--app", "a"))
                .isEqualTo(2);
        assertThat(SendCommand.run(
                        "--receivers",
                        "127.0.0.1:1",
                        "--file",
                        dir.resolve("none").toString()))
                .isEqualTo(2);
        assertThat(SendCommand.run("--receivers", "127.0.0.1:1", "--batch-size", "0"))
                .isEqualTo(2);
        assertThat(SendCommand.run("--batch-size", "many")).isEqualTo(2);
    }
}
