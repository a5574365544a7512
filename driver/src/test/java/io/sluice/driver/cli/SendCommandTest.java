package io.sluice.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.wal.IngestEndpoint;
import io.sluice.wal.ReceiverSettings;
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
                    "--receivers", endpoint.address(), "--file", events.toString(), "--batch-size", "2", "--gzip");
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
            int exit = SendCommand.run("--receivers", endpoint.address(), "--file", events.toString());
            assertThat(exit).isZero();
        }
        assertThat(stored).hasSize(3);
        assertThat(stored.get(1)).containsExactly('{', '"', 'x', '"', ':', '"', (byte) 0xE9, '"', '}');
        assertThat(new String(stored.get(2), StandardCharsets.UTF_8)).isEqualTo("[]");
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
