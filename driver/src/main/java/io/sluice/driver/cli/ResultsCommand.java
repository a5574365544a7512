package io.sluice.driver.cli;

import io.sluice.api.config.ConfigException;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.RankedExperiment;
import io.sluice.jobs.results.TopRow;
import io.sluice.jobs.sink.hbase.ResultsReader;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice results}: the read path of the results table. With {@code --experiment}, the counts of every
 * variation per window (one HBase scan); always, the watermark and the newest final top experiments. {@code sluice
 * results serve} ({@link ResultsServeCommand}) serves the same as an API and a page.
 */
@Command(
        name = "sluice results",
        mixinStandardHelpOptions = true,
        subcommands = ResultsServeCommand.class,
        description = "Prints an experiment's counts per variation and window, and the current top experiments;"
                + " 'serve' serves them as an API and a page.")
public final class ResultsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--experiment", paramLabel = "ACCOUNT/EXPERIMENT", description = "e.g. acct-0/exp-5")
    String experiment;

    @Option(
            names = "--from",
            paramLabel = "TIME",
            description = "First window start: ISO-8601 (2026-01-01T10:00:00Z) or epoch ms. Default: the beginning.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Windows starting before this. Default: no end.")
    String to;

    public static void main(String[] args) {
        System.exit(Commands.execute(new ResultsCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        SluiceSettings settings;
        ExperimentKey key = null;
        long start;
        long end;
        try {
            settings = options.load();
            if (experiment != null) {
                int slash = experiment.indexOf('/');
                if (slash <= 0 || slash == experiment.length() - 1) {
                    throw new ConfigException("--experiment must be ACCOUNT/EXPERIMENT, got '" + experiment + "'");
                }
                key = new ExperimentKey(experiment.substring(0, slash), experiment.substring(slash + 1));
            }
            start = from == null ? Long.MIN_VALUE : time("--from", from);
            end = to == null ? Long.MAX_VALUE : time("--to", to);
        } catch (ConfigException e) {
            System.err.println("sluice results: " + e.getMessage());
            return 2;
        }
        PrintStream out = System.out;
        try (Connection c =
                ConnectionFactory.createConnection(settings.pipeline().hbase().clientConfiguration())) {
            ResultsReader reader =
                    new ResultsReader(c, settings.pipeline().results().table());
            long watermark = reader.watermark();
            out.println("watermark: " + (watermark == EventClock.NO_TIME ? "none yet" : Instant.ofEpochMilli(watermark))
                    + " (windows ending before it are final)");
            if (key != null) {
                printCounts(out, key, reader.experiment(key, start, end));
            }
            Optional<TopRow> top = reader.latestTop();
            if (top.isEmpty()) {
                out.println("top experiments: no final window yet");
            } else {
                out.println("top experiments of the window ending "
                        + Instant.ofEpochMilli(top.get().windowEnd()) + ":");
                int rank = 1;
                for (RankedExperiment r : top.get().ranking()) {
                    out.printf(
                            "  %2d. %s/%s %,d events%n",
                            rank++, r.experiment().accountId(), r.experiment().experimentId(), r.events());
                }
            }
        }
        return 0;
    }

    private static void printCounts(PrintStream out, ExperimentKey key, List<CountRow> rows) {
        TreeSet<String> types = new TreeSet<>();
        rows.forEach(r -> types.addAll(r.byType().keySet()));
        out.println("counts of " + key.accountId() + "/" + key.experimentId() + " (" + rows.size() + " rows):");
        StringBuilder header = new StringBuilder(String.format("  %-24s %-12s", "window start", "variation"));
        types.forEach(t -> header.append(String.format(" %12s", t)));
        out.println(header);
        for (CountRow row : rows) {
            StringBuilder line = new StringBuilder(
                    String.format("  %-24s %-12s", Instant.ofEpochMilli(row.windowStart()), row.variationId()));
            types.forEach(t -> line.append(String.format(" %,12d", row.byType().getOrDefault(t, 0L))));
            out.println(line);
        }
    }

    private static long time(String option, String value) {
        try {
            return value.chars().allMatch(Character::isDigit)
                    ? Long.parseLong(value)
                    : Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ConfigException(option + " must be an ISO-8601 instant (2026-01-01T10:00:00Z) or epoch"
                    + " milliseconds, got '" + value + "'");
        }
    }
}
