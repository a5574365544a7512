package io.sluice.jobs.archive;

import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.sink.archive.ArchiveCompactor;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs a compaction's rewrites as a Spark job, one task per compacted file, so compaction uses the executors (an hour
 * of the reference load is about 130 GB of Parquet) and not the driver. Submitted from the archive's maintenance
 * thread, next to the streaming batches.
 */
final class SparkRewriter implements ArchiveCompactor.Rewriter {
    private final String root;
    private final Map<String, String> hadoopProperties;

    SparkRewriter(String root, Map<String, String> hadoopProperties) {
        this.root = root;
        this.hadoopProperties = new HashMap<>(hadoopProperties);
    }

    @Override
    public void rewrite(List<ArchiveCompactor.Rewrite> rewrites) throws IOException {
        if (rewrites.isEmpty()) {
            return;
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate());
        String root = this.root;
        Map<String, String> properties = hadoopProperties;
        jsc.setJobGroup("sluice-archive-compaction", "archive compaction: " + rewrites.size() + " files", false);
        try {
            jsc.parallelize(rewrites, rewrites.size())
                    .foreach(r -> r.run(FileSystem.get(URI.create(root), ExecutorHadoop.configuration(properties))));
        } catch (RuntimeException e) {
            throw new IOException("compaction's Spark job failed: " + e.getMessage(), e);
        } finally {
            jsc.clearJobGroup();
        }
    }
}
