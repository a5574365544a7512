package io.sluice.jobs.source;

import java.io.Serializable;

/**
 * Where the value of one secret Kafka client property is kept: an environment variable of the driver, or an alias in
 * the Hadoop credential providers ({@code hadoop.security.credential.provider.path}). Never the value itself.
 *
 * @param key the Kafka client property, e.g. {@code sasl.jaas.config}
 * @param property the Sluice property that gave the reference, e.g. {@code sluice.kafka.consumer.sasl.jaas.config.env}:
 *     what an error names
 * @param name the environment variable or the credential alias
 */
public record SecretReference(String key, String property, Source from, String name) implements Serializable {
    /** The kinds of secret store, with the suffix of the Sluice property that names each. */
    public enum Source {
        ENV(".env"),
        CREDENTIAL(".credential");

        private final String suffix;

        Source(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }
    }
}
