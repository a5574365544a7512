package io.sluice.testkit.junit;

import io.sluice.testkit.server.EmbeddedZooKeeper;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZooKeeper server for the tests of a class annotated {@code @ExtendWith(ZooKeeperExtension.class)}: started once per
 * JVM on 127.0.0.1, shared by every test class, closed at the end. Reach it with {@link #server()}.
 */
public final class ZooKeeperExtension implements BeforeAllCallback {
    private static volatile EmbeddedZooKeeper server;

    public static EmbeddedZooKeeper server() {
        return SharedServer.started(server, "ZooKeeper");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = SharedServer.get(context, "zookeeper", EmbeddedZooKeeper.class, EmbeddedZooKeeper::start);
    }
}
