package io.sluice.testkit.junit;

import io.sluice.testkit.server.EmbeddedKafka;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka server for the tests of a class annotated {@code @ExtendWith(KafkaExtension.class)}: started once per
 * JVM on 127.0.0.1, shared by every test class, closed at the end. Reach it with {@link #server()}.
 */
public final class KafkaExtension implements BeforeAllCallback {
    private static volatile EmbeddedKafka server;

    public static EmbeddedKafka server() {
        return SharedServer.started(server, "Kafka");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = SharedServer.get(context, "kafka", EmbeddedKafka.class, EmbeddedKafka::start);
    }
}
