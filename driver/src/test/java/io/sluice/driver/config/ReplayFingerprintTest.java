package io.sluice.driver.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayFingerprintTest {
    private static final Map<String, String> BASE = Map.of(
            "sluice.app.name", "t",
            "sluice.zookeeper.connect", "127.0.0.1:2181",
            "sluice.kafka.bootstrap-servers", "127.0.0.1:9092",
            "sluice.kafka.topics", "events",
            "sluice.checkpoint.dir", "file:///tmp/c",
            "sluice.job.archive.roots", "file:///tmp/a",
            "sluice.hbase.zookeeper.quorum", "127.0.0.1");

    @Test
    void theSameSettingsPassAndACommitWithoutAFingerprintPasses() {
        Map<String, String> current = ReplayFingerprint.of(settings(Map.of()));
        assertThatCode(() -> ReplayFingerprint.check(current, current)).doesNotThrowAnyException();
        assertThatCode(() -> ReplayFingerprint.check(Map.of(), current)).doesNotThrowAnyException();
    }

    @Test
    void aChangedWindowOrSaltRefusesWithTheKeyAndBothValues() {
        Map<String, String> committed = ReplayFingerprint.of(settings(Map.of()));
        assertThatThrownBy(() -> ReplayFingerprint.check(
                        committed, ReplayFingerprint.of(settings(Map.of("sluice.job.results.window-ms", "120000")))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sluice.job.results.window-ms is 120000")
                .hasMessageContaining("computed with 60000")
                .hasMessageContaining("Set it back to 60000");
        assertThatThrownBy(() -> ReplayFingerprint.check(
                        committed, ReplayFingerprint.of(settings(Map.of("sluice.hbase.salt-buckets", "7")))))
                .hasMessageContaining("sluice.hbase.salt-buckets is 7");
        assertThatThrownBy(() -> ReplayFingerprint.check(
                        committed, ReplayFingerprint.of(settings(Map.of("sluice.parser.max-depth", "4")))))
                .hasMessageContaining("sluice.parser.max-depth is 4");
    }

    private static SluiceSettings settings(Map<String, String> overrides) {
        Map<String, String> p = new java.util.HashMap<>(BASE);
        p.putAll(overrides);
        return SettingsLoader.load(p);
    }
}
