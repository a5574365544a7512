package io.sluice.driver.results.serve;

import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.TopRow;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What the results API reads: the results table, read-only. {@link HBaseResultsSource} reads HBase; a test gives
 * fixed rows. Every method may throw {@link IOException} when the table cannot be read; the API answers 503 then.
 */
public interface ResultsSource {
    /** Every count row, of every experiment. */
    List<CountRow> allRows() throws IOException;

    /** Every count row of one experiment (empty when it has none). */
    List<CountRow> experiment(ExperimentKey experiment) throws IOException;

    /** The newest final top row, if any. */
    Optional<TopRow> latestTop() throws IOException;

    /** The watermark ({@code EventClock.NO_TIME} before the first): windows ending at or before it are final. */
    long watermark() throws IOException;
}
