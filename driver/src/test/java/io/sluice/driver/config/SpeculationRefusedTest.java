package io.sluice.driver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.config.ConfigException;
import io.sluice.driver.runtime.DriverRuntime;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Issue 14, item 8 (review hole 10): speculative task attempts are refused at start, with one line naming the key. */
class SpeculationRefusedTest {
    private static Map<String, String> minimal() {
        Map<String, String> p = new HashMap<>();
        p.put(SluiceConfig.ZK_CONNECT, "127.0.0.1:2181");
        p.put(SluiceConfig.KAFKA_BOOTSTRAP, "127.0.0.1:9092");
        p.put(SluiceConfig.KAFKA_TOPICS, "events");
        p.put(SluiceConfig.CHECKPOINT_DIR, "hdfs://nn:8020/sluice/checkpoint");
        p.put(SluiceConfig.ARCHIVE_ROOTS, "hdfs://nn:8020/archive");
        return p;
    }

    @Test
    void speculationInThePropertiesIsRefusedNamingTheKey() {
        Map<String, String> p = minimal();
        p.put("spark.speculation", "true");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("spark.speculation=true is not supported")
                .hasMessageContaining("spark.speculation=false");
    }

    @Test
    void speculationFromSparkSubmitIsRefusedBeforeAnySparkContextExists() {
        SluiceSettings settings = SettingsLoader.load(minimal());
        SparkConf fromSubmit = new SparkConf(false).set("spark.speculation", "TRUE");
        assertThatThrownBy(() -> new DriverRuntime(settings, fromSubmit))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("spark.speculation");
    }

    @Test
    void speculationOffIsAccepted() {
        Map<String, String> p = minimal();
        p.put("spark.speculation", "false");
        assertThat(SettingsLoader.load(p).sparkProperties()).containsEntry("spark.speculation", "false");
        new DriverRuntime(SettingsLoader.load(minimal()), new SparkConf(false)).close();
    }
}
