package io.sluice.testkit.verify;

import io.sluice.testkit.generator.GroundTruth;
import java.util.Map;

/**
 * What reached the outputs compared with what was sent. {@code lost} counts valid event ids missing from HBase or from
 * any archive root; {@code duplicated} counts extra copies (archive lines, HBase cell versions) and unexpected ids.
 */
public record Outcome(
        long sent,
        long valid,
        long deadLetter,
        long tooLate,
        long future,
        Map<String, Long> deadLetterReasons,
        long hbaseRows,
        long archived,
        long lost,
        long duplicated,
        Boolean resultsExact) {

    /**
     * Exact: nothing lost or duplicated, and the dead letters are what the truth expects, reason by reason (too_late and
     * future ones included).
     */
    public boolean exact(GroundTruth truth) {
        return lost == 0
                && duplicated == 0
                && hbaseRows == valid
                && archived == valid
                && deadLetter == truth.deadLetters()
                && tooLate == truth.tooLateIds().size()
                && future == truth.futureIds().size()
                && deadLetterReasons.equals(truth.deadLettersByReason())
                && !Boolean.FALSE.equals(resultsExact);
    }

    /** The same outcome with the results check's verdict. */
    public Outcome withResultsExact(boolean exact) {
        return new Outcome(
                sent,
                valid,
                deadLetter,
                tooLate,
                future,
                deadLetterReasons,
                hbaseRows,
                archived,
                lost,
                duplicated,
                exact);
    }

    public String summary() {
        return "demo: sent=" + sent + " valid=" + valid + " dead_letter=" + deadLetter + " too_late=" + tooLate
                + " future=" + future + " hbase_rows=" + hbaseRows + " archived=" + archived + " lost=" + lost
                + " duplicated=" + duplicated
                + (resultsExact == null ? "" : " results_exact=" + resultsExact);
    }
}
