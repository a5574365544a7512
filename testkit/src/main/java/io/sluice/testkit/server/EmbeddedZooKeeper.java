package io.sluice.testkit.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A real ZooKeeper server in this JVM (Curator's {@code TestingServer}) on 127.0.0.1, its data kept under a
 * directory so that {@link #restart()} (and the demo's next run) finds the committed offsets again.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private final TestingServer server;

    private EmbeddedZooKeeper(TestingServer server) {
        this.server = server;
    }

    public static EmbeddedZooKeeper start(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        int port = Ports.in(dir).get("client");
        // Curator binds 0.0.0.0 unless the spec names the client address (STACK.md)
        InstanceSpec spec =
                new InstanceSpec(dir.resolve("data").toFile(), port, -1, -1, false, 1, -1, 100, null, "127.0.0.1");
        return new EmbeddedZooKeeper(new TestingServer(spec, true));
    }

    public String connectString() {
        return server.getConnectString();
    }

    /** Stops the server (clients see their connection drop); {@link #restart()} brings it back on the same port. */
    public void stop() throws IOException {
        server.stop();
    }

    public void restart() throws Exception {
        server.restart();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    @Override
    public String toString() {
        return "ZooKeeper at " + connectString();
    }
}
