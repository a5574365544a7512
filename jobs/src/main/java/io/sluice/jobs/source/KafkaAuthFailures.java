package io.sluice.jobs.source;

import io.sluice.api.config.ConfigException;
import java.util.Optional;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Tells the operator which property to fix when Kafka refuses the driver's credentials: a SASL authentication failure
 * names the JAAS configuration, a key store or trust store that its password does not open names that password, a
 * TLS handshake that fails names the trust store. The messages are Kafka's and the JDK's, which carry no secret.
 */
public final class KafkaAuthFailures {
    private KafkaAuthFailures() {}

    /** A one-line {@link ConfigException} for {@code failure} if it is a credential problem, else empty. */
    public static Optional<ConfigException> explain(Throwable failure, KafkaSourceSettings settings) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SaslAuthenticationException) {
                return Optional.of(new ConfigException(settings.propertyFor("sasl.jaas.config")
                        + ": the Kafka brokers refused the credentials (" + t.getMessage() + ")"));
            }
            if (t instanceof SslAuthenticationException) {
                return Optional.of(new ConfigException(settings.propertyFor("ssl.truststore.location")
                        + ": the TLS handshake with the Kafka brokers failed (" + rootMessage(t) + ")"));
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("Could not find a 'KafkaClient' entry in the JAAS configuration")) {
                return Optional.of(new ConfigException(settings.propertyFor("sasl.jaas.config")
                        + ": SASL needs a JAAS configuration, e.g. " + KafkaSourceSettings.CONSUMER_PREFIX
                        + "sasl.jaas.config.env=VARIABLE"));
            }
            if (message.contains("password was incorrect")) {
                return Optional.of(new ConfigException(
                        storePassword(failure, settings) + ": the password does not open the store (" + message + ")"));
            }
        }
        return Optional.empty();
    }

    /** The password property of the store a "Failed to load SSL keystore PATH" message names. */
    private static String storePassword(Throwable failure, KafkaSourceSettings settings) {
        String keystore = settings.consumerProperties().get("ssl.keystore.location");
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (keystore != null && message.contains("Failed to load SSL keystore " + keystore + " ")) {
                return settings.propertyFor("ssl.keystore.password");
            }
        }
        return settings.propertyFor("ssl.truststore.password");
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
