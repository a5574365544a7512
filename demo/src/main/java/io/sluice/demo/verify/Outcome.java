package io.sluice.demo.verify;

import io.sluice.demo.generator.GroundTruth;

/**
 * What reached the outputs compared with what was sent. {@code lost} counts valid event ids missing from HBase or from
 * any archive root; {@code duplicated} counts extra copies (archive lines, HBase cell versions) and unexpected ids.
 */
public record Outcome(
        long sent,
        long valid,
        long deadLetter,
        long late,
        long hbaseRows,
        long archived,
        long lost,
        long duplicated,
        Boolean resultsExact) {

    /** Exact: nothing lost or duplicated, and the dead letters (late ones included) are what the truth expects. */
    public boolean exact(GroundTruth truth) {
        return lost == 0
                && duplicated == 0
                && hbaseRows == valid
                && archived == valid
                && deadLetter == truth.deadLetters()
                && late == truth.lateIds().size()
                && !Boolean.FALSE.equals(resultsExact);
    }

    /** The same outcome with the results check's verdict. */
    public Outcome withResultsExact(boolean exact) {
        return new Outcome(sent, valid, deadLetter, late, hbaseRows, archived, lost, duplicated, exact);
    }

    public String summary() {
        return "demo: sent=" + sent + " valid=" + valid + " dead_letter=" + deadLetter + " late=" + late
                + " hbase_rows=" + hbaseRows + " archived=" + archived + " lost=" + lost + " duplicated=" + duplicated
                + (resultsExact == null ? "" : " results_exact=" + resultsExact);
    }
}
