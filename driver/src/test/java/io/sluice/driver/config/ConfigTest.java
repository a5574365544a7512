package io.sluice.driver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.config.ConfigException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private static Map<String, String> minimal() {
        Map<String, String> p = new HashMap<>();
        p.put(SluiceConfig.ZK_CONNECT, "127.0.0.1:2181");
        p.put(SluiceConfig.KAFKA_BOOTSTRAP, "127.0.0.1:9092");
        p.put(SluiceConfig.KAFKA_TOPICS, "events, more-events");
        p.put(SluiceConfig.CHECKPOINT_DIR, "hdfs://nn:8020/sluice/checkpoint");
        p.put(SluiceConfig.ARCHIVE_ROOTS, "hdfs://nn:8020/archive,s3a://backup/archive");
        return p;
    }

    @Test
    void minimalPropertiesGiveTheDocumentedDefaults() {
        SluiceSettings s = SettingsLoader.load(minimal());
        assertThat(s.kafka().topics()).containsExactly("events", "more-events");
        assertThat(s.batchIntervalMs()).isEqualTo(2000);
        assertThat(s.pipeline().archiveRoots()).hasSize(2);
        assertThat(s.pipeline().hbase().saltBuckets()).isEqualTo(16);
        assertThat(s.sparkProperties())
                .containsEntry("spark.streaming.kafka.maxRatePerPartition", "10000")
                .containsEntry("spark.streaming.backpressure.enabled", "true");
    }

    @Test
    void sparkPropertiesPassThroughAndHadoopOnesReachTheArchive() {
        Map<String, String> p = minimal();
        p.put("spark.streaming.kafka.maxRatePerPartition", "5");
        p.put("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000");
        SluiceSettings s = SettingsLoader.load(p);
        assertThat(s.sparkProperties()).containsEntry("spark.streaming.kafka.maxRatePerPartition", "5");
        assertThat(s.pipeline().hadoopProperties()).containsEntry("fs.s3a.endpoint", "http://127.0.0.1:9000");
        assertThat(s.toString()).doesNotContain("127.0.0.1:9000");
    }

    @Test
    void aMalformedNumberNamesTheKeyTheValueAndTheExpectedForm() {
        Map<String, String> p = minimal();
        p.put(SluiceConfig.BATCH_INTERVAL, "2s");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sluice.streaming.batch-interval-ms: expected an integer, got '2s'");
    }

    @Test
    void anOutOfRangeValueSaysTheRange() {
        Map<String, String> p = minimal();
        p.put(SluiceConfig.HBASE_SALT, "1000");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.hbase.salt-buckets: expected a number from 1.0 to 256.0, got '1000'");
    }

    @Test
    void aMissingRequiredKeyIsNamed() {
        Map<String, String> p = minimal();
        p.remove(SluiceConfig.KAFKA_TOPICS);
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.kafka.topics: required, expected a comma-separated list of topic names");
    }

    @Test
    void anUnknownKeyIsRefusedWithASuggestion() {
        Map<String, String> p = minimal();
        p.put("sluice.kafka.topic", "x");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.kafka.topic: unknown property (did you mean sluice.kafka.topics?)");
    }

    @Test
    void badChoicesBooleansAndUrisAreExplained() {
        Map<String, String> p = minimal();
        p.put(SluiceConfig.KAFKA_RESET, "beginning");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.kafka.reset-policy: expected one of earliest, latest, got 'beginning'");
        p.put(SluiceConfig.KAFKA_RESET, "earliest");
        p.put(SluiceConfig.HBASE_CREATE, "maybe");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.hbase.create-tables: expected true or false, got 'maybe'");
        p.put(SluiceConfig.HBASE_CREATE, "off");
        p.put(SluiceConfig.ARCHIVE_ROOTS, "/no/scheme");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessageStartingWith(
                        "sluice.job.archive.roots: expected a comma-separated list of URIs with a scheme");
    }

    @Test
    void overridesNeedKeyEqualsValue() {
        assertThatThrownBy(() -> SettingsLoader.properties(null, java.util.List.of("novalue")))
                .hasMessage("--set: expected key=value, got 'novalue'");
    }

    private static Map<String, String> push() {
        Map<String, String> p = minimal();
        p.remove(SluiceConfig.KAFKA_BOOTSTRAP);
        p.remove(SluiceConfig.KAFKA_TOPICS);
        p.put(SluiceConfig.SOURCE, "http");
        return p;
    }

    @Test
    void receiversNeedATokenAndTlsUnlessToldOtherwise() {
        Map<String, String> p = push();
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.http-source.token-env: receivers need a bearer token: name the environment variable"
                        + " holding it, or set sluice.http-source.allow-anonymous=true to accept events from anyone");
        p.put(SluiceConfig.HTTP_TOKEN_ENV, "SLUICE_TEST_TOKEN");
        Map<String, String> env = new HashMap<>(Map.of("SLUICE_TEST_TOKEN", "t0ken"));
        assertThatThrownBy(() -> SettingsLoader.load(p, env))
                .hasMessage("sluice.http-source.tls.keystore: receivers serve HTTPS: give a keystore with their key and"
                        + " certificate (and sluice.http-source.tls.keystore-password-env), or set"
                        + " sluice.http-source.plain-http=true to serve plain HTTP");
        p.put(SluiceConfig.HTTP_KEYSTORE, "/no/such/keystore.p12");
        assertThatThrownBy(() -> SettingsLoader.load(p, env))
                .hasMessage("sluice.http-source.tls.keystore-password-env: sluice.http-source.tls.keystore needs the"
                        + " name of the environment variable holding the secret");
        p.put(SluiceConfig.HTTP_KEYSTORE_PASSWORD_ENV, "SLUICE_TEST_KEYSTORE_PASSWORD");
        env.put("SLUICE_TEST_KEYSTORE_PASSWORD", "pw");
        assertThatThrownBy(() -> SettingsLoader.load(p, env))
                .hasMessageStartingWith(
                        "sluice.http-source.tls.keystore: cannot read the keystore /no/such/keystore.p12");
        p.put(SluiceConfig.HTTP_PLAIN, "true");
        assertThatThrownBy(() -> SettingsLoader.load(p, env))
                .hasMessageStartingWith("sluice.http-source.plain-http=true with sluice.http-source.tls.keystore set");
        p.remove(SluiceConfig.HTTP_KEYSTORE);
        SluiceSettings s = SettingsLoader.load(p, env);
        assertThat(s.httpSource().receiver().token()).isEqualTo("t0ken");
        assertThat(s.httpSource().receiver().scheme()).isEqualTo("http");
        assertThat(s.httpSource().receiver().toString()).doesNotContain("t0ken");

        p.remove(SluiceConfig.HTTP_TOKEN_ENV);
        p.put(SluiceConfig.HTTP_ALLOW_ANONYMOUS, "true");
        s = SettingsLoader.load(p, env);
        assertThat(s.httpSource().receiver().token()).isNull();
        assertThat(s.httpSource().receiver().allowAnonymous()).isTrue();
    }

    @Test
    void zooKeeperAuthenticationTakesItsCredentialFromTheEnvironment() {
        Map<String, String> p = minimal();
        assertThat(SettingsLoader.load(p).zookeeperAuth().enabled()).isFalse();
        assertThat(SettingsLoader.load(p).httpHost()).isEqualTo("0.0.0.0");
        p.put(SluiceConfig.ZK_AUTH, "digest");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.zookeeper.auth-env: sluice.zookeeper.auth=digest needs the name of the environment"
                        + " variable holding the secret");
        p.put(SluiceConfig.ZK_AUTH_ENV, "SLUICE_TEST_ZK");
        assertThatThrownBy(() -> SettingsLoader.load(p, Map.of("SLUICE_TEST_ZK", "no-colon")))
                .hasMessage("sluice.zookeeper.auth-env: the environment variable SLUICE_TEST_ZK must hold"
                        + " user:password");
        SluiceSettings s = SettingsLoader.load(p, Map.of("SLUICE_TEST_ZK", "app:pw"));
        assertThat(s.zookeeperAuth().credential()).isEqualTo("app:pw");
        assertThat(s.zookeeperAuth().toString()).isEqualTo("digest:app:***");
        p.put(SluiceConfig.ZK_AUTH, "kerberos");
        assertThatThrownBy(() -> SettingsLoader.load(p)).hasMessageStartingWith("sluice.zookeeper.auth:");
    }

    @Test
    void theHttpSourceNeedsNoKafkaKeysAndSaysWhatItDoesNeed() {
        Map<String, String> p = minimal();
        p.remove(SluiceConfig.KAFKA_BOOTSTRAP);
        p.remove(SluiceConfig.KAFKA_TOPICS);
        p.put(SluiceConfig.SOURCE, "http");
        p.put(SluiceConfig.HBASE_QUORUM, "zk1");
        p.put(SluiceConfig.HTTP_PORTS, "9700-9600");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.http-source.ports: expected FROM-TO within 0-65535 with FROM <= TO, e.g."
                        + " 9600-9699, got '9700-9600'");
        p.put(SluiceConfig.HTTP_PORTS, "9600-9609");
        p.put(SluiceConfig.HTTP_TOKEN_ENV, "SLUICE_TEST_TOKEN_THAT_IS_NOT_SET");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.http-source.token-env: the environment variable SLUICE_TEST_TOKEN_THAT_IS_NOT_SET"
                        + " is not set");
        p.put(SluiceConfig.HTTP_TOKEN_ENV, "SLUICE_TEST_TOKEN");
        p.put(SluiceConfig.HTTP_PLAIN, "true");
        SluiceSettings s = SettingsLoader.load(p, Map.of("SLUICE_TEST_TOKEN", "t0ken"));
        assertThat(s.kafka()).isNull();
        assertThat(s.httpSource().receivers()).isEqualTo(2);
        assertThat(s.httpSource().receiver().portFrom()).isEqualTo(9600);
        assertThat(s.httpSource().receiver().portTo()).isEqualTo(9609);
        assertThat(s.httpSource().receiver().registryPath()).isEqualTo("/sluice/sluice/receivers");
        assertThat(s.sparkProperties())
                .containsEntry("spark.streaming.receiver.writeAheadLog.enable", "true")
                .containsEntry("spark.streaming.receiver.maxRate", "20000")
                .doesNotContainKey("spark.streaming.receiver.writeAheadLog.closeFileAfterWrite");
        p.put(SluiceConfig.JOBS, "archive");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessageStartingWith("sluice.source=http needs the job event-store in sluice.jobs");
        p.put(SluiceConfig.JOBS, "event-store,results");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessageStartingWith("sluice.source=http with the job results needs the job archive");
        p.remove(SluiceConfig.SOURCE);
        p.remove(SluiceConfig.JOBS);
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessageStartingWith("sluice.kafka.bootstrap-servers: required");
    }

    @Test
    void jobsAreChosenByNameAndOnlyTheChosenOnesNeedTheirKeys() {
        Map<String, String> p = minimal();
        assertThat(SettingsLoader.load(p).jobs())
                .extracting(io.sluice.api.SluiceJob::name)
                .containsExactly("archive", "event-store", "results");
        p.put(SluiceConfig.JOBS, "archive, archiv");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.jobs: no job named 'archiv' on the classpath; expected a comma-separated list of"
                        + " archive, event-store, results");
        p.put(SluiceConfig.JOBS, "results,archive");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.jobs: job 'results' needs job 'event-store'; add it, or remove 'results'");
        p.put(SluiceConfig.JOBS, "results,event-store");
        p.remove(SluiceConfig.ARCHIVE_ROOTS);
        SluiceSettings s = SettingsLoader.load(p);
        assertThat(s.jobs())
                .as("a job comes after the jobs it needs")
                .extracting(io.sluice.api.SluiceJob::name)
                .containsExactly("event-store", "results");
        assertThat(s.pipeline().archiveRoots())
                .as("the archive's required roots are not needed without it")
                .isEmpty();
        p.put(SluiceConfig.JOBS, "archive");
        assertThatThrownBy(() -> SettingsLoader.load(p)).hasMessageStartingWith("sluice.job.archive.roots: required");
        p.put(SluiceConfig.ARCHIVE_ROOTS, "file:///tmp/a");
        p.put("sluice.job.archive.root", "file:///tmp/b");
        assertThatThrownBy(() -> SettingsLoader.load(p))
                .hasMessage("sluice.job.archive.root: unknown property (did you mean sluice.job.archive.roots?)");
    }
}
