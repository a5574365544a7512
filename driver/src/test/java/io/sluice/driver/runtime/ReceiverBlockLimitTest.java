package io.sluice.driver.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.jobs.source.PushSource;
import io.sluice.wal.ReceiverSettings;
import org.junit.jupiter.api.Test;

class ReceiverBlockLimitTest {
    @Test
    void aReceiverBlockHoldsAtMostWhatOneRequestMayHold() {
        // one request is one block; the pipeline numbers a block's records within RECORDS_PER_BLOCK
        assertThat(PushSource.RECORDS_PER_BLOCK).isEqualTo(ReceiverSettings.MAX_LINES_LIMIT);
    }
}
