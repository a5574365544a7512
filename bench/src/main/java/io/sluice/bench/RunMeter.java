package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one timed run costs, beyond its wall-clock rate: the CPU seconds of every process taking part (this JVM, which
 * runs the pipeline, and each server's), read from {@code /proc/<pid>/stat}; the machine's utilisation over the run,
 * from {@code /proc/stat}; and the run's progress over time, to tell the ramp of the first batches from the steady
 * state. The heap and GC figures of this JVM come from {@link JvmSampler}.
 */
final class RunMeter {
    /** A run's ramp ends once this share of its events is done; the steady rate is measured over the rest. */
    static final double RAMP_SHARE = 0.1;

    private static final long TICKS_PER_SECOND = ticksPerSecond();
    private final Map<String, Long> pids;
    private final JvmSampler jvm;
    private final long startedNanos;
    private final Map<String, Long> ticksAtStart;
    private final long[] machineAtStart;
    private final List<long[]> progress = new ArrayList<>();

    private RunMeter(Map<String, Long> pids) {
        this.pids = pids;
        this.jvm = JvmSampler.start();
        this.ticksAtStart = ticks(pids);
        this.machineAtStart = machine();
        this.startedNanos = System.nanoTime();
    }

    /**
     * Starts measuring: {@code pipeline} (this JVM) and every server of {@code servers} (role to process id).
     *
     * @param servers the servers' processes by role (kafka, hbase); a server in this JVM is counted as the pipeline's
     */
    static RunMeter start(Map<String, Long> servers) {
        return start(ProcessHandle.current().pid(), servers);
    }

    /**
     * Starts measuring a contender that runs in a process of its own ({@code pipelinePid}, counted as the pipeline;
     * its figures are read before it exits) and every server of {@code servers}. The heap and GC figures stay this
     * JVM's.
     */
    static RunMeter start(long pipelinePid, Map<String, Long> servers) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("pipeline", pipelinePid);
        pids.putAll(servers);
        return new RunMeter(pids);
    }

    /** When the run started (System.nanoTime). */
    long startedNanos() {
        return startedNanos;
    }

    JvmSampler jvm() {
        return jvm;
    }

    /** Records that {@code done} events are done now (called while the run polls; repeats are ignored). */
    void progress(long done) {
        if (progress.isEmpty() || progress.get(progress.size() - 1)[1] != done) {
            progress.add(new long[] {System.nanoTime(), done});
        }
    }

    /** Ends the run of {@code events} events: what it cost. */
    Cost finish(long events) {
        long finished = System.nanoTime();
        Map<String, Long> ticksAtEnd = ticks(pids);
        long[] machineAtEnd = machine();
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.keySet().forEach(role -> {
            Long start = ticksAtStart.get(role);
            Long end = ticksAtEnd.get(role);
            cpu.put(role, start == null || end == null ? Double.NaN : (end - start) / (double) TICKS_PER_SECOND);
        });
        long total = machineAtEnd[0] - machineAtStart[0];
        long idle = machineAtEnd[1] - machineAtStart[1];
        double utilisation = total <= 0 ? Double.NaN : (total - idle) / (double) total;
        progress(events);
        long rampEnd = -1;
        long doneAtRampEnd = 0;
        for (long[] p : progress) {
            if (p[1] >= RAMP_SHARE * events) {
                rampEnd = p[0];
                doneAtRampEnd = p[1];
                break;
            }
        }
        double rampSeconds = rampEnd < 0 ? Double.NaN : (rampEnd - startedNanos) / 1e9;
        double steady = rampEnd < 0 || finished <= rampEnd || doneAtRampEnd >= events
                ? Double.NaN
                : (events - doneAtRampEnd) / ((finished - rampEnd) / 1e9);
        return new Cost(cpu, utilisation, rampSeconds, doneAtRampEnd, steady);
    }

    /**
     * What a run cost.
     *
     * @param cpuSeconds CPU seconds (user and system) by process role: {@code pipeline} (the benchmark's JVM, where
     *     the contender runs, with ZooKeeper), {@code kafka}, {@code hbase}
     * @param machineUtilisation the share of the machine's CPU time (all cores) that was busy during the run
     * @param rampSeconds from the start until {@link #RAMP_SHARE} of the events were done (the first batches)
     * @param rampEvents the events done by then
     * @param steadyEventsPerSecond the rate over the rest of the run
     */
    record Cost(
            Map<String, Double> cpuSeconds,
            double machineUtilisation,
            double rampSeconds,
            long rampEvents,
            double steadyEventsPerSecond) {
        /** Events per CPU-second of {@code role}'s process. */
        double eventsPerCpuSecond(String role, long events) {
            double seconds = cpuSeconds.getOrDefault(role, Double.NaN);
            return seconds > 0 ? events / seconds : Double.NaN;
        }

        /** CPU microseconds {@code role}'s process spent per event. */
        double cpuMicrosPerEvent(String role, long events) {
            return cpuSeconds.getOrDefault(role, Double.NaN) * 1e6 / events;
        }
    }

    /** Each process's user + system time in clock ticks; a process that is gone is left out. */
    private static Map<String, Long> ticks(Map<String, Long> pids) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((role, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(role, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (IOException | RuntimeException e) {
                // not Linux, or the process is gone: no figure
            }
        });
        return ticks;
    }

    /** The machine's total and idle (idle + iowait) clock ticks over all cores, or zeros without /proc/stat. */
    private static long[] machine() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) { // user .. steal; guest time is in user already
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (Exception e) {
            return 100;
        }
    }
}
