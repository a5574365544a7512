package io.sluice.jobs.pipeline;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * The Hadoop configuration tasks use to reach the archive: Hadoop's defaults plus every {@code spark.hadoop.*}
 * property of the application (how S3A endpoints and credentials providers reach executors), built once per
 * executor JVM and Spark environment.
 */
final class ExecutorHadoop {
    private static volatile Map.Entry<SparkEnv, Configuration> cached;

    private ExecutorHadoop() {}

    static Configuration configuration() {
        SparkEnv env = SparkEnv.get();
        Map.Entry<SparkEnv, Configuration> current = cached;
        if (current == null || current.getKey() != env) {
            current = Map.entry(env, build(env.conf()));
            cached = current;
        }
        return current.getValue();
    }

    private static Configuration build(SparkConf sparkConf) {
        Configuration conf = new Configuration();
        for (Tuple2<String, String> entry : sparkConf.getAll()) {
            if (entry._1().startsWith("spark.hadoop.")) {
                conf.set(entry._1().substring("spark.hadoop.".length()), entry._2());
            }
        }
        return conf;
    }
}
