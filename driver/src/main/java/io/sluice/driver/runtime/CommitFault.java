package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault point for end-to-end tests, off unless the JVM is started with {@value #HALT_ONCE_COMMITTED}{@code =N}: the
 * driver halts (as {@code kill -9} would: no shutdown hook, no further write) right after the ZooKeeper commit that
 * brings the committed Kafka offsets, summed over all partitions, to N or more, before that batch's archive stage is
 * published. Not a Sluice property: nothing an operator sets.
 */
final class CommitFault {
    static final String HALT_ONCE_COMMITTED = "sluice.test.halt-once-committed";
    private static final Logger LOG = LoggerFactory.getLogger(CommitFault.class);
    private static final long HALT_AT = Long.getLong(HALT_ONCE_COMMITTED, -1);

    private CommitFault() {}

    static void afterCommit(CommittedOffsets committed) {
        if (HALT_AT < 0) {
            return;
        }
        long records =
                committed.asMap().values().stream().mapToLong(Long::longValue).sum();
        if (records >= HALT_AT) {
            LOG.error(
                    "{}={}: halting after the commit of {} records, before publishing stage {}",
                    HALT_ONCE_COMMITTED,
                    HALT_AT,
                    records,
                    committed.stage());
            Runtime.getRuntime().halt(137);
        }
    }
}
