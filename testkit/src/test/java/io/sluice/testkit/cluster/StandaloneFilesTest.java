package io.sluice.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.cluster.SparkSubmission.DeployMode;
import io.sluice.testkit.server.RuntimeClasspath;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The same files serve Mesos and Spark standalone: {@code standalone/} differs from {@code mesos/} only in the master
 * and the Mesos keys, and {@code ./bin/sluice submit} (the cluster tests' path) passes what the scripts pass.
 */
class StandaloneFilesTest {
    private static final Path HOME = RuntimeClasspath.home();

    private static Properties load(String file) throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(HOME.resolve(file))) {
            p.load(in);
        }
        return p;
    }

    private static boolean mesosOnly(String key) {
        return key.startsWith("spark.mesos.") || key.equals("spark.executor.uri");
    }

    @Test
    void theStandalonePropertiesAreTheMesosOnesWithoutTheMesosKeys() throws Exception {
        Properties mesos = load("mesos/sluice-mesos.properties");
        Properties standalone = load("standalone/sluice-standalone.properties");
        Set<String> expected = mesos.stringPropertyNames().stream()
                .filter(k -> !mesosOnly(k))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(standalone.stringPropertyNames())).isEqualTo(expected);
        for (String key : expected) {
            assertThat(standalone.getProperty(key)).as(key).isEqualTo(mesos.getProperty(key));
        }
        assertThat(mesos.stringPropertyNames()).anyMatch(StandaloneFilesTest::mesosOnly);
    }

    @Test
    void theScriptsSubmitTheSameClassFileAndArgumentsAsTheMesosOnes() throws Exception {
        String standalone = Files.readString(HOME.resolve("standalone/submit.sh"));
        for (String mesosScript : List.of("mesos/submit-client.sh", "mesos/submit-cluster.sh")) {
            String mesos = Files.readString(HOME.resolve(mesosScript));
            for (String common : List.of("--class io.sluice.driver.SluiceDriver", "--properties-file", "--config")) {
                assertThat(mesos).as(mesosScript).contains(common);
                assertThat(standalone).as("standalone/submit.sh").contains(common);
            }
        }
        assertThat(standalone).contains("--supervise").contains("--deploy-mode \"$MODE\"");
        assertThat(standalone).doesNotContain("spark.mesos");
    }

    @Test
    void submitPassesTheClassThePropertiesTheJdkOptionsAndSupervisionOnlyInClusterMode() throws Exception {
        Path config = HOME.resolve("standalone/sluice-standalone.properties");
        Path jar = Path.of("/tmp/sluice-driver-app.jar");
        List<String> cluster =
                SparkSubmission.arguments("spark://m1:7077,m2:7077", DeployMode.CLUSTER, true, config, jar);
        assertThat(String.join(" ", cluster))
                .contains("--master spark://m1:7077,m2:7077 --deploy-mode cluster --supervise")
                .contains("--name sluice-ab-events")
                .contains("--class io.sluice.driver.SluiceDriver")
                .contains("--properties-file " + config)
                .endsWith(jar + " --config " + config);
        String jdk17 = Files.readString(HOME.resolve("conf/jdk17-options")).trim();
        for (String side : List.of("spark.driver.extraJavaOptions=", "spark.executor.extraJavaOptions=")) {
            String options = cluster.stream()
                    .filter(a -> a.startsWith(side))
                    .findFirst()
                    .orElseThrow()
                    .substring(side.length());
            assertThat(Arrays.asList(options.split(" "))).as(side).containsAll(Arrays.asList(jdk17.split(" ")));
        }
        List<String> client = SparkSubmission.arguments("spark://m:7077", DeployMode.CLIENT, false, config, jar);
        assertThat(client).contains("client").doesNotContain("--supervise");
    }
}
