package io.sluice.driver.results.serve;

import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.results.stats.StatsSettings;
import io.sluice.jobs.sink.hbase.ResultsReader;
import java.io.IOException;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;

/** A {@link ResultsServer} on the results table of a pipeline's settings, with the HBase connection it reads through. */
public final class ResultsService implements AutoCloseable {
    /** How long one scan of every count row serves the experiment list and {@code /metrics}. */
    public static final long ROWS_CACHE_MS = 2_000;

    private final Connection connection;
    private final ResultsServer server;

    private ResultsService(Connection connection, ResultsServer server) {
        this.connection = connection;
        this.server = server;
    }

    /**
     * Connects to the HBase of {@code settings} (as {@code sluice results} does) and serves its results table.
     *
     * @param token the bearer token of every API request
     */
    public static ResultsService start(
            SluiceSettings settings, StatsSettings stats, String host, int port, String token) throws IOException {
        Connection connection =
                ConnectionFactory.createConnection(settings.pipeline().hbase().clientConfiguration());
        try {
            ResultsReader reader =
                    new ResultsReader(connection, settings.pipeline().results().table());
            ResultsApi api = new ResultsApi(
                    new HBaseResultsSource(reader, ROWS_CACHE_MS, System::nanoTime),
                    stats,
                    settings.pipeline().results().windowMs());
            return new ResultsService(connection, ResultsServer.start(host, port, api, token));
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            connection.close();
        }
    }
}
