package io.sluice.runtime;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another main class and exits when the parent process goes away: {@code ExitWithParent MAIN_CLASS ARGS...}. The
 * parent holds this process's stdin; when the parent closes it, or dies (even by {@code kill -9}), stdin reaches
 * end-of-file and this process exits (shutdown hooks run; halted after 20 s). Used for the demo's and tests' Kafka
 * and s3proxy servers, which have no such watch of their own, so that no server outlives its demo or test JVM.
 */
public final class ExitWithParent {
    private ExitWithParent() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ExitWithParent MAIN_CLASS [ARGS...]");
            System.exit(2);
        }
        Thread watch = new Thread(ExitWithParent::watchStdin, "exit-with-parent");
        watch.setDaemon(true);
        watch.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void watchStdin() {
        try {
            while (System.in.read() >= 0) {
                // the parent writes nothing: wait for end-of-file
            }
        } catch (java.io.IOException e) {
            // stdin broken: the parent is gone as well
        }
        Thread halt = new Thread(
                () -> {
                    try {
                        Thread.sleep(20_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(1);
                },
                "exit-with-parent-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
    }
}
