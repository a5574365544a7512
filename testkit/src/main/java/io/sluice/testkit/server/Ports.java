package io.sluice.testkit.server;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Ports of a server, chosen free on 127.0.0.1 the first time and remembered in {@code ports.properties} in the
 * server's directory, so a restart on the same data (a fault test, the demo's second run) listens where clients and
 * Spark checkpoints expect it.
 */
public final class Ports {
    private final Path file;
    private final Properties ports = new Properties();

    private Ports(Path file) {
        this.file = file;
    }

    public static Ports in(Path serverDir) {
        Ports p = new Ports(serverDir.resolve("ports.properties"));
        if (Files.exists(p.file)) {
            try (Reader in = Files.newBufferedReader(p.file)) {
                p.ports.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    /** The port named {@code name}: the remembered one, or a free one now remembered. */
    public synchronized int get(String name) {
        String known = ports.getProperty(name);
        if (known != null) {
            return Integer.parseInt(known);
        }
        int port = free();
        ports.setProperty(name, Integer.toString(port));
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file)) {
                ports.store(out, "ports of this server, reused on restart");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return port;
    }

    /** A port free on 127.0.0.1 right now. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
