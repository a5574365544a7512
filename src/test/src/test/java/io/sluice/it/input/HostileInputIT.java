package io.sluice.it.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.generator.Mix;
import io.sluice.testkit.junit.RealServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Input no earlier test chose (issue 14, items 1 to 3): producers whose clocks run ahead (20 s) or behind, producers
 * with a wrong clock (eleven months ahead, or stamping microseconds), records that resend an earlier event_id at a
 * later offset, events with a byte order mark or line breaks, and malformed ones with invalid UTF-8, raw control
 * characters, duplicate keys and numbers out of range. Everything is compared with the generator's ground truth:
 * HBase rows, archive lines on HDFS and S3, dead letters by reason, the results table cell by cell, and the driver's
 * counts of late, future and duplicate events. No window is revised here: every late event is too late.
 */
@RealServers
class HostileInputIT {
    private static final long EVENTS = 15_000;

    @Test
    @Timeout(600)
    void badClocksResendsAndOddEncodingsEndExact() throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers("hostile", 3, true);
        scenario.set("sluice.job.results.revise-within-ms", "0"); // late events are too late: dead letters
        EventGenerator generator = new EventGenerator(
                71,
                new Mix(0.04, 0.01, 0.06, 0.01, 0.02, 0.01),
                EventGenerator.defaultStart(System.currentTimeMillis()));
        GroundTruth truth = scenario.groundTruth(generator, EVENTS);
        assertThat(truth.futureIds()).as("wrong clocks in the input").isNotEmpty();
        assertThat(truth.resends()).as("resends in the input").isPositive();
        assertThat(truth.tooLateIds()).as("too late events in the input").isNotEmpty();
        scenario.produce(generator, 0, EVENTS, 0);

        DriverRuntime driver = scenario.runUntilCommitted(Duration.ofMinutes(5));

        Scenarios.assertExact(scenario, truth);
        assertThat(driver.metrics().snapshot().late()).as("late events counted").isEqualTo(truth.lateEvents());
        assertThat(driver.metrics().snapshot().future())
                .as("future events counted")
                .isEqualTo(truth.futureIds().size());
        assertThat(driver.metrics().snapshot().duplicates())
                .as("resent copies dropped and counted")
                .isEqualTo(truth.resends());
    }
}
