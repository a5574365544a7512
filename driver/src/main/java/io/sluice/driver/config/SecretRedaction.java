package io.sluice.driver.config;

import java.util.stream.Collectors;

/**
 * Spark's redaction pattern ({@code spark.redaction.regex}: the property names and values Spark shows as {@code
 * *********(redacted)} in its UI, its logs and the event log) extended by the names of the Kafka client's secret
 * properties ({@code sasl.jaas.config}, {@code ssl.keystore.key}, ... and the passwords), written with dots or
 * underscores (an environment variable named after one): Spark's default pattern misses some of them.
 */
public final class SecretRedaction {
    /** Spark's property. */
    public static final String KEY = "spark.redaction.regex";

    /** Spark's own default pattern. */
    static final String SPARK_DEFAULT = org.apache
            .spark
            .internal
            .config
            .package$
            .MODULE$
            .SECRET_REDACTION_PATTERN()
            .defaultValueString();

    /** The Kafka secret property names, case-insensitive, a dot or an underscore between words. */
    static final String KAFKA = "(?i:"
            + KafkaConsumerProperties.secretKeys().stream()
                    .map(key -> key.replace(".", "[._]"))
                    .collect(Collectors.joining("|"))
            + ")";

    private SecretRedaction() {}

    /** {@code current} (Spark's default when null) with the Kafka secret names added, unless it has them already. */
    public static String extend(String current) {
        String base = current == null || current.isBlank() ? SPARK_DEFAULT : current;
        return base.contains(KAFKA) ? base : base + "|" + KAFKA;
    }
}
