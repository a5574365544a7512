package io.sluice.testkit.junit;

import io.sluice.testkit.server.RuntimeClasspath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a server once per test JVM and shares it across test classes: it is kept in the root extension context's
 * store, which closes it when all tests have run. Each server gets a fresh directory under
 * {@code src/test/target/it-servers/<name>}.
 */
final class SharedServer {
    private SharedServer() {}

    static <T extends AutoCloseable> T get(
            ExtensionContext context, String name, Class<T> type, ServerStarter<T> starter) {
        ExtensionContext.Store store =
                context.getRoot().getStore(ExtensionContext.Namespace.create(SharedServer.class));
        Holder<?> holder = store.getOrComputeIfAbsent(
                name,
                key -> {
                    try {
                        return new Holder<>(starter.start(freshDir(name)));
                    } catch (Exception e) {
                        throw new IllegalStateException("could not start " + name + ": " + e.getMessage(), e);
                    }
                },
                Holder.class);
        return type.cast(holder.server);
    }

    static Path freshDir(String name) throws IOException {
        Path dir = RuntimeClasspath.home().resolve("src/test/target/it-servers/" + name);
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        return dir;
    }

    /** Starts a server in a directory. */
    @FunctionalInterface
    interface ServerStarter<T> {
        T start(Path dir) throws Exception;
    }

    private static final class Holder<T extends AutoCloseable> implements ExtensionContext.Store.CloseableResource {
        final T server;

        Holder(T server) {
            this.server = server;
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    static <T> T started(T server, String name) {
        if (server == null) {
            throw new IllegalStateException(name + " is not started: add @ExtendWith(" + name + "Extension.class)");
        }
        return server;
    }
}
