package io.sluice.testkit.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child JVM (a server, or a Sluice driver in fault tests): the machine's {@code java} with the JDK 17 flags Spark
 * and HBase need, its output in a log file. Closing it closes its standard input first (the servers' signal to shut
 * down cleanly), then destroys it; {@link #kill()} is {@code kill -9}.
 */
public final class ChildProcess implements AutoCloseable {
    /** Spark's module flags for JDK 17 plus HBase's netty flags (see STACK.md). */
    public static final List<String> JDK17_FLAGS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dorg.apache.hbase.thirdparty.io.netty.native.detectNativeLibraryDuplicates=false");

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java [jvmOptions] -cp classpath mainOrJar args}. {@code mainClass} may be {@code -jar} with the
     * jar as first argument. Output (stdout and stderr) goes to {@code log}, appended.
     */
    public static ChildProcess start(
            String name, String classpath, List<String> jvmOptions, String mainClass, List<String> args, Path log)
            throws IOException {
        return start(name, classpath, jvmOptions, mainClass, args, log, java.util.Map.of());
    }

    /** As {@link #start(String, String, List, String, List, Path)}, with {@code environment} added to this one's. */
    public static ChildProcess start(
            String name,
            String classpath,
            List<String> jvmOptions,
            String mainClass,
            List<String> args,
            Path log,
            java.util.Map<String, String> environment)
            throws IOException {
        List<String> command = command(classpath, jvmOptions, mainClass, args);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ChildProcess(name, process, log);
    }

    /** {@code java [JDK 17 flags] [jvmOptions] -cp classpath mainClass args}, with this JVM's {@code java}. */
    public static List<String> command(String classpath, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JDK17_FLAGS);
        command.addAll(jvmOptions);
        if (classpath != null) {
            command.add("-cp");
            command.add(classpath);
        }
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Waits until {@code ready} holds; fails with the log's tail if the process dies or the deadline passes. */
    public void awaitReady(Duration deadline, BooleanSupplier ready) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(
                        name + " exited with " + process.exitValue() + " before it was ready:\n" + tail());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + name, e);
            }
        }
        throw new IOException(name + " not ready within " + deadline + ":\n" + tail());
    }

    /** True once the log holds {@code text} after its first {@code fromByte} bytes (what earlier runs wrote). */
    public boolean logContains(String text, long fromByte) {
        try (java.io.RandomAccessFile in = new java.io.RandomAccessFile(log.toFile(), "r")) {
            long length = in.length();
            if (length <= fromByte) {
                return false;
            }
            byte[] bytes = new byte[(int) (length - fromByte)];
            in.seek(fromByte);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** True once the log holds {@code text}. */
    public boolean logContains(String text) {
        try {
            return Files.exists(log)
                    && Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends the process a signal with {@code kill -<name>} ({@code STOP} freezes it as a hung host would, {@code CONT}
     * thaws it).
     */
    public void signal(String name) throws IOException, InterruptedException {
        int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
        if (status != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " exited " + status);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The processes this one started (and theirs): a Spark worker's executors and drivers. */
    public java.util.stream.Stream<ProcessHandle> descendants() {
        return process.descendants();
    }

    public Path log() {
        return log;
    }

    /** Waits for the process to exit; returns its exit code, or empty on timeout. */
    public java.util.OptionalInt awaitExit(Duration deadline) throws InterruptedException {
        return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)
                ? java.util.OptionalInt.of(process.exitValue())
                : java.util.OptionalInt.empty();
    }

    /** {@code kill -9}, then waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (a graceful stop for a Sluice driver), then waits up to {@code deadline}; returns its exit code. */
    public java.util.OptionalInt terminate(Duration deadline) throws InterruptedException {
        process.destroy();
        return awaitExit(deadline);
    }

    /** Asks it to stop: closes stdin and sends SIGTERM, then SIGKILL if it is still there after 20 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the log, for error messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
