package io.sluice.demo.verify;

/**
 * What reached the outputs compared with what was sent. {@code lost} counts valid event ids missing from HBase or from
 * any archive root; {@code duplicated} counts extra copies (archive lines, HBase cell versions) and unexpected ids.
 */
public record Outcome(
        long sent, long valid, long deadLetter, long hbaseRows, long archived, long lost, long duplicated) {
    public boolean exact(long expectedDeadLetters) {
        return lost == 0
                && duplicated == 0
                && hbaseRows == valid
                && archived == valid
                && deadLetter == expectedDeadLetters;
    }

    public String summary() {
        return "demo: sent=" + sent + " valid=" + valid + " dead_letter=" + deadLetter + " hbase_rows=" + hbaseRows
                + " archived=" + archived + " lost=" + lost + " duplicated=" + duplicated;
    }
}
