package io.sluice.testkit.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds what the build produced for the child-process servers under {@code testkit/runtimes/<name>/target}: the
 * repository root is the system property {@code sluice.home} (set by bin/sluice and by Surefire/Failsafe), else the
 * nearest parent of the working directory that has {@code testkit/runtimes}.
 */
public final class RuntimeClasspath {
    private RuntimeClasspath() {}

    public static Path home() {
        String home = System.getProperty("sluice.home");
        if (home != null && Files.isDirectory(Path.of(home, "testkit", "runtimes"))) {
            return Path.of(home);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("testkit/runtimes"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Sluice checkout: set -Dsluice.home=<repository root>");
    }

    /** A file the build writes under {@code testkit/runtimes/<runtime>/target/}. */
    public static Path file(String runtime, String name) {
        Path file = home().resolve("testkit/runtimes/" + runtime + "/target/" + name);
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: build first with `mvn -B -DskipTests install`");
        }
        return file;
    }

    /** The launcher that runs a server's main class and exits when this JVM goes away (even by kill -9). */
    public static final String EXIT_WITH_PARENT = "io.sluice.runtime.ExitWithParent";

    /** Where {@link #EXIT_WITH_PARENT} is: the HBase runtime module's classes (it has no dependencies). */
    public static String exitWithParent() {
        Path classes = home().resolve("testkit/runtimes/hbase/target/classes");
        if (!Files.isDirectory(classes.resolve("io/sluice/runtime"))) {
            throw new IllegalStateException(classes + " is missing: build first with `mvn -B -DskipTests install`");
        }
        return classes.toString();
    }

    /** The classpath of a runtime module (its own classes first, when it has any). */
    public static String of(String runtime) {
        try {
            String deps = Files.readString(file(runtime, "classpath.txt"), StandardCharsets.UTF_8)
                    .trim();
            Path classes = home().resolve("testkit/runtimes/" + runtime + "/target/classes");
            return Files.isDirectory(classes) ? classes + java.io.File.pathSeparator + deps : deps;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the classpath of runtime " + runtime, e);
        }
    }
}
