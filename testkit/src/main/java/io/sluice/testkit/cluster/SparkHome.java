package io.sluice.testkit.cluster;

import io.sluice.testkit.server.RuntimeClasspath;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Spark home that the build assembles from Maven under {@code testkit/runtimes/spark/target/spark-home} ({@code
 * jars/}, {@code conf/}, {@code RELEASE}, {@code bin/spark-submit}): what masters, workers and {@code spark-submit}
 * run from, and what a worker's launcher uses for the executors and drivers it starts.
 */
public final class SparkHome {
    private final Path dir;

    private SparkHome(Path dir) {
        this.dir = dir;
    }

    /** The assembled home; fails with the command to build it when it is missing. */
    public static SparkHome assembled() {
        Path dir = RuntimeClasspath.home().resolve("testkit/runtimes/spark/target/spark-home");
        if (!Files.exists(dir.resolve("RELEASE")) || !Files.isDirectory(dir.resolve("jars"))) {
            throw new IllegalStateException(dir + " is missing: build first with `mvn -B -DskipTests install`");
        }
        dir.resolve("bin/spark-submit").toFile().setExecutable(true); // Maven's resource copy drops the bit
        return new SparkHome(dir);
    }

    public Path dir() {
        return dir;
    }

    /** {@code conf/} first (log4j2.properties), then every jar. */
    public String classpath() {
        return dir.resolve("conf") + File.pathSeparator + dir.resolve("jars") + File.separator + "*";
    }

    /** What Spark's launcher needs to find {@code jars/} (it uses them when {@code RELEASE} exists). */
    public Map<String, String> environment() {
        return Map.of(
                "SPARK_LOCAL_IP",
                "127.0.0.1",
                "SPARK_HOME",
                dir.toString(),
                "SPARK_SCALA_VERSION",
                "2.12",
                "SPARK_CONF_DIR",
                dir.resolve("conf").toString());
    }

    /** The log4j2 configuration of every JVM started from this home. */
    public String log4jOption() {
        return "-Dlog4j2.configurationFile=" + dir.resolve("conf/log4j2.properties");
    }

    /** The shaded application jar that {@code spark-submit} ships ({@code driver/target/*-app.jar}). */
    public static Path applicationJar() {
        Path target = RuntimeClasspath.home().resolve("driver/target");
        try (var files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-app.jar"))
                    .findFirst()
                    .orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "no application jar in " + target + ": build first with `mvn -B -DskipTests install`", e);
        }
    }
}
