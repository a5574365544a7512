package io.sluice.jobs.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventClockTest {
    private static final ResultsSettings SETTINGS = new ResultsSettings(true, 60_000, 30_000, 10, 300_000, 2_000, "t");

    @Test
    void nothingIsLateBeforeThePartitionHasSeenAnEvent() {
        assertThat(EventClock.late(0, EventClock.NO_TIME, 30_000)).isFalse();
        assertThat(EventClock.watermark(EventClock.NO_TIME, 30_000)).isEqualTo(EventClock.NO_TIME);
    }

    @Test
    void anEventIsLateOnlyWhenStrictlyBehindTheWatermark() {
        long clock = 100_000;
        assertThat(EventClock.late(70_000, clock, 30_000)).isFalse();
        assertThat(EventClock.late(69_999, clock, 30_000)).isTrue();
        assertThat(EventClock.late(150_000, clock, 0)).isFalse();
    }

    @Test
    void theClockNeverGoesBack() {
        assertThat(EventClock.advance(EventClock.NO_TIME, -5)).isEqualTo(-5);
        assertThat(EventClock.advance(100, 50)).isEqualTo(100);
        assertThat(EventClock.advance(100, 150)).isEqualTo(150);
        // bounded by the arrival: a clock running ahead of what has arrived cannot drag the partition's clock
        assertThat(EventClock.advance(100, 20_150, 150)).isEqualTo(150);
        assertThat(EventClock.advance(100, 120, 150)).isEqualTo(120);
        assertThat(EventClock.advance(100, 150, -1)).as("no arrival").isEqualTo(150);
        assertThat(EventClock.future(300_151, 150, 300_000)).isTrue();
        assertThat(EventClock.future(300_150, 150, 300_000)).isFalse();
        assertThat(EventClock.future(Long.MAX_VALUE, -1, 300_000))
                .as("no arrival")
                .isFalse();
    }

    @Test
    void windowsAndBucketsFloorTowardsMinusInfinity() {
        assertThat(SETTINGS.windowStart(119_999)).isEqualTo(60_000);
        assertThat(SETTINGS.windowStart(-1)).isEqualTo(-60_000);
        assertThat(SETTINGS.bucketStart(3_999)).isEqualTo(2_000);
    }

    @Test
    void windowsMustBeMadeOfWholeSlides() {
        assertThatThrownBy(() -> new ResultsSettings(true, 60_000, 0, 10, 300_000, 7_000, "t"))
                .hasMessageContaining("multiples of the top slide");
    }
}
