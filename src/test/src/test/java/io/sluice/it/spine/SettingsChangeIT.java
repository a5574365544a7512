package io.sluice.it.spine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.config.ConfigException;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.Mix;
import io.sluice.testkit.junit.RealServers;
import java.time.Duration;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Settings the committed replay positions depend on, changed across a restart (issue 14, item 6; review hole 9): a
 * start with another window refuses with one line naming the key and both values, changes nothing, and the start with
 * the original value resumes exactly.
 */
@RealServers
class SettingsChangeIT {
    private static final long FIRST = 4_000;
    private static final long SECOND = 3_000;

    @Test
    @Timeout(600)
    void aChangedWindowIsRefusedAndTheOriginalResumesExactly() throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers("settings-change", 2, false);
        EventGenerator generator = new EventGenerator(
                91, Mix.realistic(0.02, 0.01), EventGenerator.defaultStart(System.currentTimeMillis()));
        scenario.produce(generator, 0, FIRST, 0);
        scenario.runUntilCommitted(Duration.ofMinutes(3));
        CommittedOffsets before = scenario.committedOffsets();
        scenario.produce(generator, FIRST, FIRST + SECOND, 0);

        scenario.set("sluice.job.results.window-ms", "20000");
        DriverRuntime changed = new DriverRuntime(scenario.settings(), new SparkConf());
        try {
            assertThatThrownBy(changed::start)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("sluice.job.results.window-ms is 20000 but the committed positions were"
                            + " computed with 10000")
                    .hasMessageNotContaining("\n");
        } finally {
            changed.stop(false);
        }
        assertThat(scenario.committedOffsets().asMap()).as("nothing committed").isEqualTo(before.asMap());

        scenario.set("sluice.job.results.window-ms", "10000");
        scenario.runUntilCommitted(Duration.ofMinutes(3));
        Scenarios.assertExact(scenario, scenario.groundTruth(generator, FIRST + SECOND));
    }
}
