package com.example.pageviews;

import static io.sluice.api.config.ConfigType.LONG;
import static io.sluice.api.config.ConfigType.STRING;

import io.sluice.api.DriverOutput;
import io.sluice.api.JobSetup;
import io.sluice.api.SluiceJob;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskOutput;
import io.sluice.api.config.Config;
import io.sluice.api.config.ConfigDef;
import io.sluice.api.config.Validator;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.CommittedOffsets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;

/**
 * Page views per URL per minute, from a clickstream whose events have a URL ({@code url}, or the field {@code
 * sluice.job.page-views.url-field} names) and a time. Exactly once without
 * any driver-side state: each task writes, for every (minute, URL) its range touched, the range's count into the cell
 * whose column is the range's source position ({@link PageViewsTable}); a replay of the range rewrites the same cell.
 * A reader sums a row's cells. At start, cells of ranges past the committed positions (written by a batch that never
 * committed, and that the restarted stream may cut differently) are deleted.
 */
public final class PageViewsJob implements SluiceJob {
    public static final String NAME = "page-views";
    public static final String TABLE = "sluice.job.page-views.table";
    public static final String WINDOW = "sluice.job.page-views.window-ms";
    public static final String URL_FIELD = "sluice.job.page-views.url-field";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef("job " + NAME)
                .define(TABLE, STRING, "page_views", Validator.nonEmpty("a table name"), "Table of the page views.")
                .define(WINDOW, LONG, "60000", Validator.atLeast(1), "Window of the counts (ms of event time).")
                .define(
                        URL_FIELD,
                        STRING,
                        "url",
                        Validator.nonEmpty("a field name"),
                        "The field holding the page's URL: a top-level one, or attributes.<key>.");
    }

    /** Events without the URL field are dead letters for this job only. */
    @Override
    public Set<String> requiredFields(Config config) {
        return Set.of(config.getString(URL_FIELD));
    }

    @Override
    public boolean usesHBase() {
        return true;
    }

    @Override
    public TaskOutput taskOutput(JobSetup setup) {
        return new Counts(
                setup.config().getString(TABLE),
                setup.config().getLong(WINDOW),
                setup.config().getString(URL_FIELD));
    }

    @Override
    public Optional<DriverOutput> driverOutput(JobSetup setup) {
        PageViewsTable table = new PageViewsTable(
                setup.hbase(), TableName.valueOf(setup.config().getString(TABLE)));
        return Optional.of(new DriverOutput() {
            @Override
            public void recover(CommittedOffsets committed) throws IOException {
                try (Admin admin = setup.hbase().getAdmin()) {
                    table.ensure(admin);
                }
                table.deletePast(committed);
            }
        });
    }

    /** The task side: counts per window and URL, written into the range's own column. */
    private record Counts(String table, long windowMs, String urlField) implements TaskOutput {
        @Override
        public void write(PartitionBatch batch, TaskContext context) throws IOException {
            Map<PageViewsTable.Row, Long> counts = new HashMap<>();
            for (PositionedEvent e : batch.valid()) {
                long window = Math.floorDiv(e.event().ts(), windowMs) * windowMs;
                counts.merge(new PageViewsTable.Row(window, e.event().field(urlField)), 1L, Long::sum);
            }
            if (counts.isEmpty()) {
                return;
            }
            byte[] column = PageViewsTable.column(batch.range());
            List<Put> puts = new ArrayList<>(counts.size());
            counts.forEach((row, n) -> puts.add(PageViewsTable.put(row, column, n)));
            try (Table t = context.hbase().getTable(TableName.valueOf(table))) {
                t.put(puts);
            }
            context.count("rows", puts.size());
        }
    }
}
