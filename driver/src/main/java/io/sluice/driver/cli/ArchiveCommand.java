package io.sluice.driver.cli;

import io.sluice.api.config.ConfigException;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.archive.ArchiveJob;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchiveTables;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice archive ddl}: the {@code CREATE EXTERNAL TABLE} of the primary archive root for Hive or Spark SQL,
 * with its partitions so far; {@code sluice archive verify}: each replica root compared with the primary.
 */
@Command(
        name = "sluice archive",
        mixinStandardHelpOptions = true,
        description = "The archive for batch analysis: its table's DDL, and its replicas checked against the primary.",
        subcommands = {ArchiveCommand.Ddl.class, ArchiveCommand.Verify.class})
public final class ArchiveCommand implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(Commands.execute(new ArchiveCommand(), args));
    }

    @Override
    public Integer call() {
        System.err.println("sluice archive: name a command: ddl or verify");
        return 2;
    }

    /** The archive's roots and Hadoop settings from the properties; a bad file is one line and exit 2. */
    private static SluiceSettings load(ConfigOptions options, String command) {
        SluiceSettings settings = options.load();
        if (settings.pipeline().archiveRoots().isEmpty()) {
            throw new ConfigException(
                    "sluice archive " + command + " needs the archive job: sluice.jobs names no archive");
        }
        return settings;
    }

    private static FileSystem fileSystem(String root, SluiceSettings settings) throws java.io.IOException {
        Configuration conf = ExecutorHadoop.configuration(settings.pipeline().hadoopProperties());
        return FileSystem.get(URI.create(root), conf);
    }

    @Command(name = "ddl", mixinStandardHelpOptions = true, description = "Prints the archive's CREATE EXTERNAL TABLE.")
    static final class Ddl implements Callable<Integer> {
        @Mixin
        ConfigOptions options = new ConfigOptions();

        @Option(
                names = "--table",
                defaultValue = "sluice_events",
                description = "Table name (default ${DEFAULT-VALUE}).")
        String table;

        @Option(
                names = "--dialect",
                defaultValue = "hive",
                description = "hive (CREATE EXTERNAL TABLE ... STORED AS PARQUET) or spark (CREATE TABLE ... USING"
                        + " parquet, for Spark SQL without Hive); default ${DEFAULT-VALUE}.")
        String dialect;

        @Override
        public Integer call() throws Exception {
            SluiceSettings settings;
            try {
                settings = load(options, "ddl");
                if (!dialect.equals("hive") && !dialect.equals("spark")) {
                    throw new ConfigException("--dialect: expected hive or spark, got '" + dialect + "'");
                }
                if (!table.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                    throw new ConfigException(
                            "--table: expected a table name ([A-Za-z_][A-Za-z0-9_.]*), got '" + table + "'");
                }
            } catch (ConfigException e) {
                System.err.println("sluice archive ddl: " + e.getMessage());
                return 2;
            }
            String root = settings.pipeline().archiveRoots().get(0);
            ArchiveLayout layout = new ArchiveLayout(root);
            List<ArchiveTables.Hour> hours = ArchiveTables.hours(fileSystem(root, settings), layout);
            System.out.print(ArchiveTables.ddl(
                    table,
                    ArchiveJob.format(settings.config()),
                    layout,
                    hours,
                    ArchiveTables.Dialect.valueOf(dialect.toUpperCase(java.util.Locale.ROOT))));
            return 0;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Compares each replica root with the primary; exit 0 when every replica equals it, 1 if not.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOptions options = new ConfigOptions();

        @Override
        public Integer call() throws Exception {
            SluiceSettings settings;
            try {
                settings = load(options, "verify");
            } catch (ConfigException e) {
                System.err.println("sluice archive verify: " + e.getMessage());
                return 2;
            }
            List<String> roots = settings.pipeline().archiveRoots();
            FileSystem primaryFs = fileSystem(roots.get(0), settings);
            ArchiveLayout primary = new ArchiveLayout(roots.get(0));
            boolean equal = true;
            for (String root : roots.subList(1, roots.size())) {
                ArchiveTables.Comparison c =
                        ArchiveTables.compare(primaryFs, primary, fileSystem(root, settings), new ArchiveLayout(root));
                System.out.printf(
                        "%s: %s (primary %d files; missing %d, differing %d, extra %d)%n",
                        root,
                        c.equal() ? "equal" : "DIFFERS",
                        c.primaryFiles(),
                        c.missing().size(),
                        c.differing().size(),
                        c.extra().size());
                c.missing().stream().limit(10).forEach(f -> System.out.println("  missing   " + f));
                c.differing().stream().limit(10).forEach(f -> System.out.println("  differing " + f));
                c.extra().stream().limit(10).forEach(f -> System.out.println("  extra     " + f));
                equal &= c.equal();
            }
            if (roots.size() == 1) {
                System.out.println("no replica root (sluice.job.archive.roots names one root)");
            }
            return equal ? 0 : 1;
        }
    }
}
