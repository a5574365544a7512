package io.sluice.it.ops;

import io.sluice.testkit.server.RuntimeClasspath;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files under {@code ops/} and the tools that check and run them ({@code promtool}, {@code prometheus}, from the
 * Debian package {@code prometheus} that {@code .ci/tools} installs). A missing tool fails the test: it is never
 * skipped.
 */
final class OpsTools {
    private OpsTools() {}

    static Path ops() {
        return RuntimeClasspath.home().resolve("ops");
    }

    static Path alertRules() {
        return ops().resolve("prometheus/sluice-alerts.yml");
    }

    static Path dashboard() {
        return ops().resolve("grafana/sluice-dashboard.json");
    }

    /** The executable {@code name} on the PATH; fails the test, saying how to install it, when there is none. */
    static Path require(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not installed (not on the PATH): run .ci/tools, which installs the Debian"
                + " package prometheus (/usr/bin/prometheus, /usr/bin/promtool) and chromium");
    }

    /** What a finished command printed (stdout and stderr together) and its exit status. */
    record Result(int exit, String output) {}

    /** Runs {@code command} in {@code dir} to its end (at most {@code timeoutSeconds}). */
    static Result run(Path dir, long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes(); // returns once the process closed its output
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*\\}");
    private static final Pattern NAME = Pattern.compile("\\bsluice_[a-z0-9_]+\\b");

    /** The Sluice metric names a PromQL expression selects (label names in groupings and matchers left out). */
    static Set<String> metricNames(String promql) {
        String selectors =
                MATCHERS.matcher(GROUPING.matcher(promql).replaceAll(" ")).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(selectors);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}
