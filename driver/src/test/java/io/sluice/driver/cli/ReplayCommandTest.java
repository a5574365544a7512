package io.sluice.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./bin/sluice replay}'s argument errors: one line naming the option, exit 2, before anything is read. */
class ReplayCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stderr;
    private Path config;

    @BeforeEach
    void config(@TempDir Path dir) throws Exception {
        stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        config = Files.writeString(
                dir.resolve("sluice.properties"),
                """
                sluice.zookeeper.connect=127.0.0.1:1
                sluice.kafka.bootstrap-servers=127.0.0.1:1
                sluice.kafka.topics=events
                sluice.checkpoint.dir=file:///tmp/none
                sluice.job.archive.roots=file:///tmp/none/archive
                """);
    }

    @AfterEach
    void restore() {
        System.setErr(stderr);
    }

    private int replay(String... more) {
        String[] args = new String[more.length + 2];
        args[0] = "--config";
        args[1] = config.toString();
        System.arraycopy(more, 0, args, 2, more.length);
        return Commands.execute(new ReplayCommand(), args);
    }

    /** The command's own line: the last on stderr (Spark's logging may come first when it starts in this JVM). */
    private String error() {
        String[] lines = err.toString(StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void aTimeThatIsNeitherIsoNorEpochMsNamesTheOption() {
        assertThat(replay("--from", "yesterday", "--to", "2026-12-01T10:00:00Z", "--jobs", "results"))
                .isEqualTo(2);
        assertThat(error())
                .isEqualTo("sluice replay: --from: expected an ISO-8601 instant (2026-12-01T10:00:00Z) or epoch ms,"
                        + " got 'yesterday'");
    }

    @Test
    void anEmptyRangeIsRefused() {
        assertThat(replay("--from", "2026-12-01T10:00:00Z", "--to", "2026-12-01T10:00:00Z", "--jobs", "results"))
                .isEqualTo(2);
        assertThat(error()).isEqualTo("sluice replay: --to must be after --from");
    }

    @Test
    void theArchiveIsNotAJobToFeed() {
        assertThat(replay("--from", "0", "--to", "3600000", "--jobs", "event-store,archive"))
                .isEqualTo(2);
        assertThat(error()).isEqualTo("sluice replay: --jobs: archive is what a replay reads, not a job to feed");
    }

    @Test
    void aJobNotInSluiceJobsIsNamedWithTheOnesThatAre() {
        assertThat(replay("--from", "0", "--to", "3600000", "--jobs", "page-views"))
                .isEqualTo(2);
        assertThat(error()).startsWith("sluice replay: --jobs: 'page-views' is not a job of sluice.jobs (");
    }

    @Test
    void aMissingRangeIsAPicocliErrorWithExitTwo() {
        assertThat(replay("--jobs", "results")).isEqualTo(2);
        assertThat(error()).contains("--from").contains("--to");
    }
}
