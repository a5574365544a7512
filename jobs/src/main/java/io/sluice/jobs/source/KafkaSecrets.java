package io.sluice.jobs.source;

import io.sluice.api.config.ConfigException;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;

/**
 * The secret Kafka client properties (passwords, the JAAS configuration): where each is kept ({@link SecretReference})
 * and, once resolved in the driver, the values. The values travel where the consumer parameters travel (the driver's
 * clients, and Spark's tasks that read Kafka), never into Spark's checkpoint ({@link #withoutValues}: the stream's
 * strategy keeps the references and resolves them again when a restored stream starts, so a rotated secret is used
 * after a restart). {@link #toString} never prints a value.
 */
public final class KafkaSecrets implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The Hadoop property listing the credential providers, e.g. {@code jceks://hdfs@nn:8020/sluice/kafka.jceks}. */
    public static final String PROVIDER_PATH = "hadoop.security.credential.provider.path";

    public static final KafkaSecrets NONE = new KafkaSecrets(List.of(), null, Map.of());

    private final List<SecretReference> references;
    private final String providerPath;
    private final HashMap<String, String> values;

    private KafkaSecrets(List<SecretReference> references, String providerPath, Map<String, String> values) {
        this.references = List.copyOf(references);
        this.providerPath = providerPath;
        this.values = new HashMap<>(values);
    }

    /**
     * Reads every secret from its store, in this JVM: the environment through {@code environment}, the credentials
     * through the Hadoop credential providers at {@code providerPath} (null when none is configured).
     *
     * @throws ConfigException naming the Sluice property of a secret that cannot be read (never its value)
     */
    public static KafkaSecrets resolve(
            List<SecretReference> references, String providerPath, Function<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        for (SecretReference ref : references) {
            String value =
                    switch (ref.from()) {
                        case ENV -> environment.apply(ref.name());
                        case CREDENTIAL -> credential(ref, providerPath);
                    };
            if (value == null || value.isEmpty()) {
                throw new ConfigException(
                        ref.from() == SecretReference.Source.ENV
                                ? ref.property() + ": the environment variable " + ref.name() + " is not set"
                                : ref.property() + ": no credential " + ref.name() + " in " + PROVIDER_PATH + " ("
                                        + providerPath + ")");
            }
            values.put(ref.key(), value);
        }
        return new KafkaSecrets(references, providerPath, values);
    }

    private static String credential(SecretReference ref, String providerPath) {
        if (providerPath == null || providerPath.isBlank()) {
            throw new ConfigException(ref.property() + ": a credential needs the Hadoop credential providers, set"
                    + " spark.hadoop." + PROVIDER_PATH);
        }
        Configuration conf = new Configuration(false);
        conf.set(PROVIDER_PATH, providerPath);
        // the alias must be in a provider: never a same-named property in clear
        conf.setBoolean("hadoop.security.credential.clear-text-fallback", false);
        try {
            char[] value = conf.getPassword(ref.name());
            return value == null ? null : new String(value);
        } catch (IOException e) {
            throw new ConfigException(ref.property() + ": cannot read the credential providers " + providerPath + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The same secrets resolved again in this JVM, from the driver's environment and credential providers. */
    public KafkaSecrets resolveAgain() {
        return resolve(references, providerPath, System::getenv);
    }

    /** The references alone: what may be written to Spark's checkpoint. */
    public KafkaSecrets withoutValues() {
        return new KafkaSecrets(references, providerPath, Map.of());
    }

    /** Kafka property -> secret value; empty before {@link #resolve} and in {@link #withoutValues}. */
    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    /** The Kafka properties that are secret here. */
    public Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        references.forEach(r -> keys.add(r.key()));
        return keys;
    }

    /** The Sluice property that gave the secret {@code key}, if it is one of these. */
    public Optional<String> property(String key) {
        return references.stream()
                .filter(r -> r.key().equals(key))
                .map(SecretReference::property)
                .findFirst();
    }

    public List<SecretReference> references() {
        return references;
    }

    /** Equal when they refer to the same stores; the values are not compared. */
    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaSecrets other
                && references.equals(other.references)
                && Objects.equals(providerPath, other.providerPath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(references, providerPath);
    }

    /** The references only, never a value. */
    @Override
    public String toString() {
        return "KafkaSecrets" + references;
    }
}
