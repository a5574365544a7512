package io.sluice.testkit.server;

import java.util.Map;

/**
 * The bearer token of the receivers the end-to-end tests start: one fixed value, handed to each driver process through
 * its environment (as an operator's secret would be), never written to a properties file.
 */
public final class ReceiverToken {
    /** The variable {@code sluice.http-source.token-env} names in the tests. */
    public static final String ENV = "SLUICE_TEST_HTTP_TOKEN";

    /** This JVM's value when it has one (src/test's failsafe sets it, for {@code sluice send} in the tests). */
    public static final String VALUE = System.getenv().getOrDefault(ENV, "sluice-test-token-7c1e");

    private ReceiverToken() {}

    /** The environment a driver process gets it from. */
    public static Map<String, String> environment() {
        return Map.of(ENV, VALUE);
    }
}
