package io.sluice.driver.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

class CheckpointReadingTest {
    @Test
    void aTransientReadErrorIsRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String context = CheckpointReading.withRetries("hdfs://nn/cp", 5, Duration.ofMillis(1), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new SparkException(
                        "Failed to read checkpoint from directory hdfs://nn/cp",
                        new IOException("Could not obtain block: BP-1 blk_1"));
            }
            return "restored";
        });
        assertThat(context).isEqualTo("restored");
        assertThat(calls).hasValue(3);
    }

    @Test
    void anErrorThatPersistsStopsStartUpWithTheWayOut() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> CheckpointReading.withRetries("hdfs://nn/cp", 3, Duration.ofMillis(1), () -> {
                    calls.incrementAndGet();
                    throw new SparkException(
                            "Failed to read checkpoint from directory hdfs://nn/cp",
                            new java.io.InvalidClassException("io.sluice.Old; local class incompatible"));
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the checkpoint in hdfs://nn/cp exists but cannot be read after 3 attempts")
                .hasMessageContaining("InvalidClassException")
                .hasMessageContaining("move hdfs://nn/cp aside");
        assertThat(calls).hasValue(3);
    }
}
