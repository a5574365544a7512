package io.sluice.testkit.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Spark standalone cluster on this machine, from the Spark home the build assembled: one or two masters recovering
 * through ZooKeeper and N workers, each a child JVM on 127.0.0.1 under one directory. Closing it stops them all (and
 * with the workers, every executor and driver they run).
 */
public final class StandaloneCluster implements AutoCloseable {
    /**
     * @param masters 1, or 2 for a standby master
     * @param workers worker processes
     * @param workerCores cores each worker offers (a count of task slots, not of CPUs)
     * @param workerMemory memory each worker offers to executors and drivers, e.g. {@code 2g}
     * @param workerTimeout how long a master waits for a silent worker before it declares it lost (and relaunches
     *     its supervised drivers); workers heartbeat every quarter of it
     */
    public record Options(int masters, int workers, int workerCores, String workerMemory, Duration workerTimeout) {
        public Options {
            if (masters < 1 || masters > 2) {
                throw new IllegalArgumentException("masters must be 1 or 2, not " + masters);
            }
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, not " + workers);
            }
        }

        public static Options defaults() {
            return new Options(1, 2, 3, "2g", Duration.ofSeconds(10));
        }

        public Options withMasters(int n) {
            return new Options(n, workers, workerCores, workerMemory, workerTimeout);
        }

        public Options withWorkers(int n) {
            return new Options(masters, n, workerCores, workerMemory, workerTimeout);
        }
    }

    private final List<SparkMaster> masters = new ArrayList<>();
    private final List<SparkWorker> workers = new ArrayList<>();

    private StandaloneCluster() {}

    /**
     * Starts the masters (the first becomes ALIVE before the second starts), then the workers.
     *
     * @param zookeeper the ensemble the masters elect through and keep their recovery state in
     * @param zkDir the znode under which they do, one per cluster
     */
    public static StandaloneCluster start(Path dir, String zookeeper, String zkDir, Options options)
            throws IOException {
        SparkHome home = SparkHome.assembled();
        StandaloneCluster cluster = new StandaloneCluster();
        String timeout = "-Dspark.worker.timeout=" + options.workerTimeout().toSeconds();
        List<String> masterProperties = List.of(
                "-Dspark.deploy.recoveryMode=ZOOKEEPER",
                "-Dspark.deploy.zookeeper.url=" + zookeeper,
                "-Dspark.deploy.zookeeper.dir=" + zkDir,
                timeout);
        try {
            for (int i = 1; i <= options.masters(); i++) {
                SparkMaster master = new SparkMaster("master-" + i, dir.resolve("master-" + i), home, masterProperties);
                master.launch();
                cluster.masters.add(master);
                if (i == 1) {
                    master.awaitStatus("ALIVE", Duration.ofMinutes(3));
                }
            }
            for (int i = 1; i <= options.workers(); i++) {
                SparkWorker worker = new SparkWorker(
                        "worker-" + i,
                        dir.resolve("worker-" + i),
                        home,
                        List.of(timeout),
                        cluster::masterUrl,
                        options.workerCores(),
                        options.workerMemory());
                worker.launch();
                cluster.workers.add(worker);
            }
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** {@code spark://host:port[,host:port]}: every master, as applications and workers must know them. */
    public String masterUrl() {
        return "spark://" + masters.stream().map(SparkMaster::address).collect(Collectors.joining(","));
    }

    public List<SparkMaster> masters() {
        return List.copyOf(masters);
    }

    public List<SparkWorker> workers() {
        return List.copyOf(workers);
    }

    /** The master whose status is ALIVE now, if any. */
    public Optional<SparkMaster> activeMaster() {
        return masters.stream()
                .filter(m -> m.status().filter("ALIVE"::equals).isPresent())
                .findFirst();
    }

    /** The active master's {@code /json/} document. */
    public Optional<JsonNode> state() {
        return activeMaster().flatMap(SparkMaster::state);
    }

    /** The worker whose process runs a driver now (cluster mode), if any. */
    public Optional<SparkWorker> workerRunningDriver() {
        return workers.stream().filter(w -> !w.drivers().isEmpty()).findFirst();
    }

    /** Executor JVMs over every worker. */
    public List<ProcessHandle> executors() {
        return workers.stream().flatMap(w -> w.executors().stream()).toList();
    }

    @Override
    public void close() {
        for (SparkWorker worker : workers) {
            worker.close();
        }
        for (SparkMaster master : masters) {
            master.close();
        }
    }
}
