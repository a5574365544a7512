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

/** {@code ./bin/sluice results serve}'s argument errors: one line naming the option, exit 2, before HBase is read. */
class ResultsServeCommandTest {
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
                sluice.http-source.token-env=SLUICE_TEST_NO_SUCH_VARIABLE_4711
                """);
    }

    @AfterEach
    void restore() {
        System.setErr(stderr);
    }

    private int serve(String... more) {
        String[] args = new String[more.length + 3];
        args[0] = "serve";
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        return Commands.execute(new ResultsCommand(), args);
    }

    private String error() {
        String[] lines = err.toString(StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void aMalformedSplitNamesTheOptionTheExperimentAndTheForm() {
        assertThat(serve("--split", "acct-0/exp-1=var-0:50,var-1:lots")).isEqualTo(2);
        assertThat(error())
                .startsWith("sluice results serve: --split acct-0/exp-1: the weight of var-1 must be a positive"
                        + " number, got 'lots'; expected ACCOUNT/EXPERIMENT=VARIATION:WEIGHT,VARIATION:WEIGHT");
    }

    @Test
    void withoutTheTokenItDoesNotStart() {
        assertThat(serve()).isEqualTo(2);
        assertThat(error())
                .isEqualTo("sluice results serve: the results API needs a bearer token: set the environment variable"
                        + " SLUICE_TEST_NO_SUCH_VARIABLE_4711 (sluice.http-source.token-env)");
    }

    @Test
    void aBadThresholdIsRefused() {
        assertThat(serve("--srm-threshold", "0")).isEqualTo(2);
        assertThat(error()).startsWith("sluice results serve: --srm-threshold: expected a p-value threshold");
    }
}
