package io.sluice.testkit.server;

import java.io.IOException;

/**
 * A server that runs as a child process: {@link #launch()} starts it and waits until it serves; the lifecycle
 * ({@code kill -9}, restart on the same ports and data, close) is the same for all of them.
 */
public abstract class ChildServer implements AutoCloseable {
    protected ChildProcess process;

    /** Starts the process and returns once the server answers. */
    protected abstract void launch() throws IOException;

    /** The server process's id (for its CPU time in /proc). */
    public long pid() {
        return process.pid();
    }

    /** {@code kill -9} of the server process. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** Freezes the server ({@code SIGSTOP}): connections stay open and nothing answers, as with a hung host. */
    public void freeze() throws IOException, InterruptedException {
        process.signal("STOP");
    }

    /** Thaws a frozen server ({@code SIGCONT}). */
    public void thaw() throws IOException, InterruptedException {
        process.signal("CONT");
    }

    /** Starts the server again on the same ports and data (after {@link #kill()} or a stop). */
    public void restart() throws IOException {
        if (process != null && process.isAlive()) {
            process.close();
        }
        launch();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
