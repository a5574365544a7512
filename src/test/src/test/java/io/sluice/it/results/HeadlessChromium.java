package io.sluice.it.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code /usr/bin/chromium}, headless, one fresh profile per run: a page's DOM after its scripts ran
 * ({@code --dump-dom}), or a screenshot. {@code --virtual-time-budget} lets the page's timers and fetches run that
 * long in virtual time before the dump.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private final Path logDir;

    /** @param logDir where chromium's stderr of each run goes */
    HeadlessChromium(Path logDir) {
        assertThat(Files.isExecutable(BINARY))
                .as(BINARY + " is missing: run .ci/tools (it installs Debian's chromium) before the browser tests")
                .isTrue();
        this.logDir = logDir;
    }

    /** The serialized DOM of {@code url} once its scripts had {@code virtualMs} of virtual time. */
    String dumpDom(String url, int virtualMs) throws Exception {
        List<String> command = base(virtualMs);
        command.add("--dump-dom");
        command.add(url);
        return new String(run(command, "dump-dom"), StandardCharsets.UTF_8);
    }

    /** A PNG of {@code url} at {@code width} x {@code height}. */
    void screenshot(String url, int virtualMs, Path png, int width, int height) throws Exception {
        List<String> command = base(virtualMs);
        command.add("--screenshot=" + png.toAbsolutePath());
        command.add("--window-size=" + width + "," + height);
        command.add(url);
        Files.deleteIfExists(png);
        run(command, "screenshot");
        assertThat(png).as("chromium's screenshot").exists().isNotEmptyFile();
    }

    private static List<String> base(int virtualMs) {
        return new ArrayList<>(List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--virtual-time-budget=" + virtualMs));
    }

    private byte[] run(List<String> command, String what) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path log = logDir.resolve("chromium-" + what + ".log");
        try {
            command.add(1, "--user-data-dir=" + profile);
            Path out = Files.createTempFile("chromium-" + what, ".out");
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(log.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium " + what + " did not finish in 60 s; its log: " + log);
            }
            assertThat(p.exitValue())
                    .as("chromium %s exit status (log: %s)", what, log)
                    .isZero();
            byte[] bytes = Files.readAllBytes(out);
            Files.delete(out);
            return bytes;
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
