package io.sluice.driver.config;

import static io.sluice.jobs.source.KafkaSourceSettings.CONSUMER_PREFIX;

import io.sluice.api.config.ConfigException;
import io.sluice.jobs.source.SecretReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The Kafka consumer properties an operator passes through ({@code sluice.kafka.consumer.<property>}), checked against
 * the Kafka client's own definitions ({@link ConsumerConfig#configDef()}): an unknown property, a malformed value, a
 * property Sluice sets itself, or a secret (a property of type {@code PASSWORD}: {@code sasl.jaas.config}, the TLS
 * store and key passwords, PEM keys) given in clear stops start-up with one line naming the key. A secret is given by
 * reference instead: {@code <property>.env=VARIABLE} (an environment variable of the driver) or {@code
 * <property>.credential=ALIAS} (an alias in the Hadoop credential providers).
 *
 * <p>Every Kafka client the driver opens is a consumer (the stream, the batch reads of ranges, the start offsets, the
 * end offsets for the lag metrics), so these properties reach all of them; there is no separate admin client.
 *
 * @param clear the non-secret properties, validated
 * @param secrets where each secret property is kept
 */
record KafkaConsumerProperties(Map<String, String> clear, List<SecretReference> secrets) {
    private static final ConfigDef KAFKA = ConsumerConfig.configDef();

    /** Properties Sluice sets itself, with what the operator sets instead. */
    private static final Map<String, String> OWNED = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            "set " + SluiceConfig.KAFKA_BOOTSTRAP,
            ConsumerConfig.GROUP_ID_CONFIG,
            "set " + SluiceConfig.KAFKA_GROUP,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "set " + SluiceConfig.KAFKA_RESET,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "Sluice commits offsets itself, after each batch's outputs",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            "Sluice reads keys as bytes",
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            "Sluice reads values as bytes");

    /** @param given the properties under {@code sluice.kafka.consumer.}, the prefix taken off */
    static KafkaConsumerProperties parse(Map<String, String> given) {
        Map<String, String> clear = new TreeMap<>();
        List<SecretReference> secrets = new ArrayList<>();
        Set<String> referenced = new TreeSet<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String name = e.getKey();
            String property = CONSUMER_PREFIX + name;
            SecretReference.Source source = sourceOf(name);
            if (source != null && !KAFKA.configKeys().containsKey(name)) {
                String key = name.substring(0, name.length() - source.suffix().length());
                ConfigDef.ConfigKey def = known(key, property);
                if (def.type != ConfigDef.Type.PASSWORD) {
                    throw new ConfigException(
                            property + ": " + key + " is not a secret, give it as " + CONSUMER_PREFIX + key + "=VALUE");
                }
                if (e.getValue().isBlank()) {
                    throw new ConfigException(property + ": expected "
                            + (source == SecretReference.Source.ENV ? "an environment variable name" : "an alias")
                            + ", got ''");
                }
                if (!referenced.add(key)) {
                    throw new ConfigException(property + ": " + CONSUMER_PREFIX + key + " is given twice, keep one of"
                            + " its .env and .credential forms");
                }
                secrets.add(new SecretReference(key, property, source, e.getValue()));
                continue;
            }
            ConfigDef.ConfigKey def = known(name, property);
            if (OWNED.containsKey(name)) {
                throw new ConfigException(property + ": set by Sluice (" + OWNED.get(name) + ")");
            }
            if (def.type == ConfigDef.Type.PASSWORD) {
                throw new ConfigException(property + ": a secret is never read from the properties in clear; give"
                        + " it as " + property + ".env=VARIABLE (an environment variable of the driver) or " + property
                        + ".credential=ALIAS (in spark.hadoop.hadoop.security.credential.provider.path)");
            }
            try {
                Object value = ConfigDef.parseType(name, e.getValue(), def.type);
                if (def.validator != null) {
                    def.validator.ensureValid(name, value);
                }
            } catch (org.apache.kafka.common.config.ConfigException bad) {
                throw new ConfigException(property + ": " + bad.getMessage());
            }
            clear.put(name, e.getValue());
        }
        return new KafkaConsumerProperties(Map.copyOf(clear), List.copyOf(secrets));
    }

    private static SecretReference.Source sourceOf(String name) {
        for (SecretReference.Source s : SecretReference.Source.values()) {
            if (name.endsWith(s.suffix())) {
                return s;
            }
        }
        return null;
    }

    private static ConfigDef.ConfigKey known(String key, String property) {
        ConfigDef.ConfigKey def = KAFKA.configKeys().get(key);
        if (def == null) {
            throw new ConfigException(
                    property + ": " + key + " is not a Kafka consumer property (see Kafka's" + " ConsumerConfig)");
        }
        return def;
    }

    /** The Kafka consumer properties whose values are secret (type {@code PASSWORD}). */
    static Set<String> secretKeys() {
        Set<String> keys = new TreeSet<>();
        KAFKA.configKeys().forEach((name, def) -> {
            if (def.type == ConfigDef.Type.PASSWORD) {
                keys.add(name);
            }
        });
        return keys;
    }
}
