package io.sluice.driver.config;

import io.sluice.api.SluiceJob;
import io.sluice.api.config.ConfigException;
import io.sluice.jobs.archive.ArchiveJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The jobs on the classpath, found with {@link ServiceLoader} ({@code META-INF/services/io.sluice.api.SluiceJob}), and
 * the choice {@code sluice.jobs} makes among them.
 */
public final class JobCatalog {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private final Map<String, SluiceJob> jobs;

    JobCatalog(Iterable<SluiceJob> found) {
        Map<String, SluiceJob> byName = new TreeMap<>();
        for (SluiceJob job : found) {
            String name = job.name();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new ConfigException(job.getClass().getName() + " is named '" + name
                        + "': a job's name is lower-case letters, digits and '-'");
            }
            SluiceJob other = byName.put(name, job);
            if (other != null && other.getClass() != job.getClass()) {
                throw new ConfigException("two jobs on the classpath are named '" + name + "': "
                        + other.getClass().getName() + " and " + job.getClass().getName());
            }
            String prefix = "sluice.job." + name + ".";
            job.config().keys().forEach(k -> {
                if (!k.name().startsWith(prefix)) {
                    throw new ConfigException(job.getClass().getName() + " defines " + k.name() + ": the keys of job '"
                            + name + "' must start with " + prefix);
                }
            });
        }
        this.jobs = byName;
    }

    /** The jobs of this JVM's classpath. */
    public static JobCatalog onClasspath() {
        return new JobCatalog(ServiceLoader.load(SluiceJob.class, JobCatalog.class.getClassLoader()));
    }

    /** Every job found, by name. */
    public List<SluiceJob> jobs() {
        return List.copyOf(jobs.values());
    }

    /** The components of the jobs {@code names} does not name: their keys are not required. */
    public Set<String> inactiveComponents(List<String> names) {
        Set<String> inactive = new LinkedHashSet<>();
        jobs.forEach((name, job) -> {
            if (!names.contains(name)) {
                inactive.add(job.config().component());
            }
        });
        return inactive;
    }

    /**
     * The jobs {@code names} (the value of {@code sluice.jobs}) names, in the order they write and recover: the archive
     * first, then each job after the jobs it requires, otherwise in the order named.
     *
     * @throws ConfigException for an unknown name, a repeated one, or a job whose required job is not named
     */
    public List<SluiceJob> select(List<String> names) {
        Map<String, SluiceJob> chosen = new LinkedHashMap<>();
        for (String name : names) {
            SluiceJob job = jobs.get(name);
            if (job == null) {
                throw new ConfigException(SluiceConfig.JOBS + ": no job named '" + name + "' on the classpath; expected"
                        + " a comma-separated list of " + String.join(", ", jobs.keySet()));
            }
            if (chosen.put(name, job) != null) {
                throw new ConfigException(SluiceConfig.JOBS + ": job '" + name + "' is named twice");
            }
        }
        for (SluiceJob job : chosen.values()) {
            for (String required : job.requires()) {
                if (!chosen.containsKey(required)) {
                    throw new ConfigException(SluiceConfig.JOBS + ": job '" + job.name() + "' needs job '" + required
                            + "'; add it, or remove '" + job.name() + "'");
                }
            }
        }
        List<SluiceJob> ordered = new ArrayList<>();
        // the archive first: its primary root is push ingestion's replay source, so it must publish the committed stage
        // before any job replays at start
        if (chosen.containsKey(ArchiveJob.NAME)) {
            ordered.add(chosen.get(ArchiveJob.NAME));
        }
        chosen.values().forEach(job -> addAfterRequired(job, chosen, ordered));
        return List.copyOf(ordered);
    }

    private static void addAfterRequired(SluiceJob job, Map<String, SluiceJob> chosen, List<SluiceJob> ordered) {
        if (ordered.contains(job)) {
            return;
        }
        job.requires().stream().sorted().forEach(r -> addAfterRequired(chosen.get(r), chosen, ordered));
        ordered.add(job);
    }
}
