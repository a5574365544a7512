package io.sluice.testkit.junit;

import io.sluice.testkit.server.EmbeddedHBase;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HBase server for the tests of a class annotated {@code @ExtendWith(HBaseExtension.class)}: started once per
 * JVM on 127.0.0.1, shared by every test class, closed at the end. Reach it with {@link #server()}.
 */
public final class HBaseExtension implements BeforeAllCallback {
    private static volatile EmbeddedHBase server;

    public static EmbeddedHBase server() {
        return SharedServer.started(server, "HBase");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = SharedServer.get(context, "hbase", EmbeddedHBase.class, EmbeddedHBase::start);
    }
}
