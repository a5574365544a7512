package io.sluice.demo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.cluster.SparkMaster;
import io.sluice.testkit.cluster.SparkWorker;
import io.sluice.testkit.cluster.StandaloneCluster;
import io.sluice.testkit.server.ChildProcess;
import io.sluice.testkit.server.EmbeddedZooKeeper;
import io.sluice.testkit.server.RuntimeClasspath;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bin/sluice cluster up|status|down}: a Spark standalone cluster on this machine (ZooKeeper, one or two
 * masters recovering through it, N workers), run by a background process that owns every server; its state and the
 * servers' logs live under one directory ({@code --dir}, default {@code cluster-data}).
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "A Spark standalone cluster (ZooKeeper, masters with ZooKeeper recovery, workers) on 127.0.0.1.",
        subcommands = {
            ClusterCommand.Up.class,
            ClusterCommand.Run.class,
            ClusterCommand.Status.class,
            ClusterCommand.Down.class
        })
public final class ClusterCommand {
    static final String STATE_FILE = "cluster.properties";

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterCommand()).execute(args));
    }

    static class Dir {
        @Option(names = "--dir", description = "The cluster's directory. Default ${DEFAULT-VALUE}.")
        Path dir = Path.of("cluster-data");

        Path resolved() {
            return dir.toAbsolutePath();
        }
    }

    static class Shape {
        @Option(names = "--workers", description = "Worker processes. Default ${DEFAULT-VALUE}.")
        int workers = 2;

        @Option(names = "--masters", description = "1, or 2 for a standby master. Default ${DEFAULT-VALUE}.")
        int masters = 1;

        @Option(names = "--worker-cores", description = "Cores each worker offers. Default ${DEFAULT-VALUE}.")
        int workerCores = 3;

        @Option(names = "--worker-memory", description = "Memory each worker offers. Default ${DEFAULT-VALUE}.")
        String workerMemory = "2g";

        StandaloneCluster.Options options() {
            return new StandaloneCluster.Options(masters, workers, workerCores, workerMemory, Duration.ofSeconds(10));
        }

        List<String> arguments() {
            return List.of(
                    "--workers", Integer.toString(workers),
                    "--masters", Integer.toString(masters),
                    "--worker-cores", Integer.toString(workerCores),
                    "--worker-memory", workerMemory);
        }
    }

    /** Starts the keeper process in the background and waits until its cluster is up. */
    @Command(name = "up", mixinStandardHelpOptions = true, description = "Starts the cluster in the background.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Mixin
        Dir dir = new Dir();

        @CommandLine.Mixin
        Shape shape = new Shape();

        @Override
        public Integer call() throws Exception {
            try {
                shape.options();
            } catch (IllegalArgumentException e) {
                System.err.println("cluster up: " + e.getMessage());
                return 2;
            }
            Path home = dir.resolved();
            Optional<Properties> running = liveState(home);
            if (running.isPresent()) {
                System.err.println("cluster up: already up (keeper pid "
                        + running.get().getProperty("pid") + "); `./bin/sluice cluster down` first");
                return 1;
            }
            Files.createDirectories(home);
            Files.deleteIfExists(home.resolve(STATE_FILE));
            List<String> args = new ArrayList<>(List.of("run", "--dir", home.toString()));
            args.addAll(shape.arguments());
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid"); // its own session: closing this terminal does not stop it
            }
            command.addAll(ChildProcess.command(
                    System.getProperty("java.class.path"),
                    List.of(
                            "-Xmx512m",
                            "-Dsluice.home=" + RuntimeClasspath.home(),
                            "-Dlog4j2.configurationFile="
                                    + RuntimeClasspath.home().resolve("conf/log4j2-console.properties")),
                    ClusterCommand.class.getName(),
                    args));
            Path log = home.resolve("cluster.log");
            new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            System.out.println("cluster: starting ZooKeeper, " + shape.masters + " master(s) and " + shape.workers
                    + " worker(s) under " + home + " (log " + log + ")");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline) {
                Optional<Properties> state = readState(home);
                if (state.isPresent() && "up".equals(state.get().getProperty("state"))) {
                    print(state.get());
                    return 0;
                }
                if (state.isPresent() && "failed".equals(state.get().getProperty("state"))) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
            System.err.println("cluster up: the cluster did not come up; the end of " + log + ":");
            List<String> lines = Files.readAllLines(log);
            lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
            return 1;
        }
    }

    /** The keeper: owns ZooKeeper, the masters and the workers until SIGTERM ({@code cluster down}). */
    @Command(name = "run", hidden = true, description = "Runs the cluster in this process (cluster up starts it).")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        Dir dir = new Dir();

        @CommandLine.Mixin
        Shape shape = new Shape();

        @Override
        public Integer call() throws Exception {
            Path home = dir.resolved();
            CountDownLatch stopped = new CountDownLatch(1);
            EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(home.resolve("zookeeper"));
            StandaloneCluster cluster;
            try {
                cluster = StandaloneCluster.start(home, zk.connectString(), "/spark", shape.options());
            } catch (Exception e) {
                Properties failed = new Properties();
                failed.setProperty("state", "failed");
                failed.setProperty("error", String.valueOf(e.getMessage()));
                writeState(home, failed);
                zk.close();
                throw e;
            }
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                System.out.println("cluster: stopping workers, masters and ZooKeeper");
                                cluster.close();
                                try {
                                    zk.close();
                                    Properties down = readState(home).orElseGet(Properties::new);
                                    down.setProperty("state", "down");
                                    writeState(home, down);
                                } catch (IOException e) {
                                    System.err.println("cluster: " + e);
                                }
                                stopped.countDown();
                            },
                            "cluster-down"));
            Properties state = new Properties();
            state.setProperty("state", "up");
            state.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
            state.setProperty("master.url", cluster.masterUrl());
            state.setProperty("zookeeper", zk.connectString());
            for (SparkMaster m : cluster.masters()) {
                state.setProperty(m.name() + ".ui", m.webUrl());
                state.setProperty(m.name() + ".pid", Long.toString(m.pid()));
            }
            for (SparkWorker w : cluster.workers()) {
                state.setProperty(w.name() + ".ui", w.webUrl());
                state.setProperty(w.name() + ".pid", Long.toString(w.pid()));
            }
            writeState(home, state);
            System.out.println("cluster: up: " + cluster.masterUrl());
            stopped.await();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Masters, workers, applications, drivers.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        Dir dir = new Dir();

        @Override
        public Integer call() throws Exception {
            Optional<Properties> state = liveState(dir.resolved());
            if (state.isEmpty()) {
                System.out.println("cluster: down (no live cluster in " + dir.resolved() + ")");
                return 1;
            }
            print(state.get());
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stops every process of the cluster.")
    static final class Down implements Callable<Integer> {
        @CommandLine.Mixin
        Dir dir = new Dir();

        @Override
        public Integer call() throws Exception {
            Optional<Properties> state = liveState(dir.resolved());
            if (state.isEmpty()) {
                System.out.println("cluster: already down");
                return 0;
            }
            ProcessHandle keeper = ProcessHandle.of(Long.parseLong(state.get().getProperty("pid")))
                    .orElseThrow();
            List<ProcessHandle> all = new ArrayList<>(keeper.descendants().toList());
            keeper.destroy();
            try {
                keeper.onExit().get(90, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                System.out.println("cluster: the keeper did not stop in 90 s: kill -9");
                keeper.destroyForcibly();
            }
            all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            System.out.println("cluster: down (state and logs stay in " + dir.resolved() + ")");
            return 0;
        }
    }

    static void print(Properties state) {
        System.out.println("cluster: up, keeper pid " + state.getProperty("pid"));
        System.out.println("  master URL   " + state.getProperty("master.url"));
        System.out.println("  ZooKeeper    " + state.getProperty("zookeeper"));
        for (String name : daemons(state, "master-")) {
            String ui = state.getProperty(name + ".ui");
            Optional<JsonNode> json = SparkMaster.state(ui);
            System.out.printf(
                    "  %-12s %s  pid %-7s %s%n",
                    name,
                    ui,
                    state.getProperty(name + ".pid", "?"),
                    json.map(j -> j.path("status").asText()
                                    + ", " + j.path("aliveworkers").asInt() + " alive workers, cores "
                                    + j.path("coresused").asInt() + "/"
                                    + j.path("cores").asInt())
                            .orElse("not answering"));
            json.filter(j -> "ALIVE".equals(j.path("status").asText())).ifPresent(j -> {
                for (JsonNode app : j.path("activeapps")) {
                    System.out.printf(
                            "    application %s %s %s, %d cores (UI via the master)%n",
                            app.path("id").asText(),
                            app.path("name").asText(),
                            app.path("state").asText(),
                            app.path("cores").asInt());
                }
                for (JsonNode d : j.path("activedrivers")) {
                    System.out.printf(
                            "    driver %s %s on %s%n",
                            d.path("id").asText(),
                            d.path("state").asText(),
                            d.path("worker").asText("?"));
                }
            });
        }
        for (String name : daemons(state, "worker-")) {
            System.out.printf(
                    "  %-12s %s  pid %-7s %s%n",
                    name,
                    state.getProperty(name + ".ui"),
                    state.getProperty(name + ".pid"),
                    alive(state.getProperty(name + ".pid")) ? "running" : "not running");
        }
    }

    /** The names ({@code master-1}, {@code worker-2}, ...) of the daemons with {@code prefix} in the state, sorted. */
    private static List<String> daemons(Properties state, String prefix) {
        return state.stringPropertyNames().stream()
                .filter(k -> k.startsWith(prefix) && k.endsWith(".ui"))
                .map(k -> k.substring(0, k.length() - ".ui".length()))
                .sorted()
                .toList();
    }

    private static boolean alive(String pid) {
        return pid != null
                && ProcessHandle.of(Long.parseLong(pid))
                        .map(ProcessHandle::isAlive)
                        .orElse(false);
    }

    /** The state file, if the keeper it names is alive. */
    static Optional<Properties> liveState(Path home) throws IOException {
        return readState(home).filter(s -> "up".equals(s.getProperty("state")) && alive(s.getProperty("pid")));
    }

    static Optional<Properties> readState(Path home) throws IOException {
        Path file = home.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return Optional.of(p);
    }

    private static void writeState(Path home, Properties state) throws IOException {
        Path tmp = home.resolve(STATE_FILE + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp)) {
            state.store(out, "the cluster run by ./bin/sluice cluster up");
        }
        Files.move(
                tmp,
                home.resolve(STATE_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The web UIs of the masters of the live cluster under {@code home} (none when it is down). */
    public static List<String> masterUis(Path home) throws IOException {
        return liveState(home.toAbsolutePath())
                .map(s -> daemons(s, "master-").stream()
                        .map(name -> s.getProperty(name + ".ui"))
                        .toList())
                .orElse(List.of());
    }

    /** The master URL of the live cluster under {@code home}, for {@code submit} and {@code demo --on-cluster}. */
    public static Optional<String> masterUrl(Path home) throws IOException {
        return liveState(home.toAbsolutePath()).map(s -> s.getProperty("master.url"));
    }
}
