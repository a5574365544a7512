package io.sluice.jobs.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop configuration tasks and the driver use to reach the archive: Hadoop's defaults plus the run's Hadoop
 * properties, built once per JVM for each distinct set of properties.
 */
public final class ExecutorHadoop {
    private static final Map<Map<String, String>, Configuration> CACHE = new ConcurrentHashMap<>();

    private ExecutorHadoop() {}

    public static Configuration configuration(Map<String, String> properties) {
        return CACHE.computeIfAbsent(properties, p -> {
            Configuration conf = new Configuration();
            p.forEach(conf::set);
            return conf;
        });
    }
}
