package io.sluice.driver.results.serve;

import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.TopRow;
import io.sluice.jobs.sink.hbase.ResultsReader;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The results table through {@link ResultsReader} (gets and scans only: nothing here writes). The scan of every count
 * row, which the experiment list and each {@code /metrics} scrape need, is reused for {@code cacheMs}, so a page
 * polling every few seconds and a scraper do not each scan the table.
 */
public final class HBaseResultsSource implements ResultsSource {
    private final ResultsReader reader;
    private final long cacheNanos;
    private final LongSupplier nanoClock;
    private List<CountRow> cached;
    private long cachedAt;

    public HBaseResultsSource(ResultsReader reader, long cacheMs, LongSupplier nanoClock) {
        this.reader = reader;
        this.cacheNanos = cacheMs * 1_000_000;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized List<CountRow> allRows() throws IOException {
        long now = nanoClock.getAsLong();
        if (cached == null || now - cachedAt >= cacheNanos) {
            cached = List.copyOf(reader.allRows());
            cachedAt = now;
        }
        return cached;
    }

    @Override
    public List<CountRow> experiment(ExperimentKey experiment) throws IOException {
        return reader.experiment(experiment, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public Optional<TopRow> latestTop() throws IOException {
        return reader.latestTop();
    }

    @Override
    public long watermark() throws IOException {
        return reader.watermark();
    }
}
