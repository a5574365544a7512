package io.sluice.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationOptionTest {
    private final DurationOption option = new DurationOption();

    @Test
    void readsMillisecondsSecondsAndMinutes() {
        assertThat(option.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(option.convert("20s")).isEqualTo(Duration.ofSeconds(20));
        assertThat(option.convert("1m")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aBadValueNamesTheExpectedForm() {
        for (String bad : new String[] {"20", "0s", "-5s", "1h", "twenty s", ""}) {
            assertThatThrownBy(() -> option.convert(bad))
                    .as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageContaining("ms, s or m");
        }
    }

    @Test
    void theDemoRejectsAKillIntervalWithoutAStandbyAndNamesTheOption() {
        StringWriter err = new StringWriter();
        CommandLine demo = new CommandLine(new DemoCommand()).setErr(new PrintWriter(err));
        int status = demo.execute("--kill-leader-every", "2x");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--kill-leader-every").contains("ms, s or m");
    }
}
