package io.sluice.jobs.sink.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.config.Config;
import io.sluice.api.config.ConfigException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** HBase client properties pass through {@code sluice.hbase.client.*} (a Kerberized cluster's, say), checked. */
class HBaseConfigTest {
    @Test
    void clientPropertiesReachEveryHBaseClient() {
        Properties p = new Properties();
        p.setProperty("sluice.hbase.client.hbase.security.authentication", "kerberos");
        p.setProperty("sluice.hbase.client.hbase.master.kerberos.principal", "hbase/_HOST@EXAMPLE.COM");
        HBaseSettings settings = HBaseConfig.settings(Config.parse(p, List.of(HBaseConfig.CONFIG)), true);
        assertThat(settings.clientConfiguration().get("hbase.security.authentication"))
                .isEqualTo("kerberos");
        assertThat(settings.clientConfiguration().get("hbase.master.kerberos.principal"))
                .isEqualTo("hbase/_HOST@EXAMPLE.COM");
        assertThat(settings.clientConfiguration().get("hbase.client.retries.number"))
                .isEqualTo("10");
    }

    @Test
    void aKeyThatIsNoHBaseClientPropertyOrOneSluiceSetsIsRefusedNamingIt() {
        for (String key : List.of("sluice.hbase.client.security", "sluice.hbase.client.hbase.client.retries.number")) {
            Properties p = new Properties();
            p.setProperty(key, "x");
            assertThatThrownBy(() -> HBaseConfig.settings(Config.parse(p, List.of(HBaseConfig.CONFIG)), true))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(key + ": expected an hbase.* client property");
        }
    }
}
