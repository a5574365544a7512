package io.sluice.driver.runtime;

import io.sluice.api.SourceReplay;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.TopicPartitionKey;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** A source that cannot be read again: push ingestion without the archive job, whose primary root is its replay. */
final class NoReplay implements SourceReplay {
    @Override
    public boolean ordered() {
        return false;
    }

    @Override
    public <T extends Serializable> List<T> replay(
            Map<TopicPartitionKey, ReplayPosition> from, CommittedOffsets committed, Fold<T> fold) {
        if (!from.isEmpty()) {
            throw new IllegalStateException("push ingestion has no replay source without the archive job");
        }
        return List.of();
    }
}
