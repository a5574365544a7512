package io.sluice.testkit.junit;

import io.sluice.testkit.server.EmbeddedS3;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3 server for the tests of a class annotated {@code @ExtendWith(S3Extension.class)}: started once per
 * JVM on 127.0.0.1, shared by every test class, closed at the end. Reach it with {@link #server()}.
 */
public final class S3Extension implements BeforeAllCallback {
    private static volatile EmbeddedS3 server;

    public static EmbeddedS3 server() {
        return SharedServer.started(server, "S3");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = SharedServer.get(context, "s3", EmbeddedS3.class, EmbeddedS3::start);
    }
}
