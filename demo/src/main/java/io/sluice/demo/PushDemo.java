package io.sluice.demo;

import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.wal.EventSender;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code --source http}: the driver in this JVM runs the reliable receivers, and the generator pushes its events to
 * them with the sender (receivers found in ZooKeeper); progress until every pushed event is written, then the
 * verification.
 */
final class PushDemo {
    private PushDemo() {}

    static int run(DemoRun run, DriverRuntime driver) throws Exception {
        long target = run.target();
        long from = run.sent();
        CompletableFuture<Long> pushing = CompletableFuture.supplyAsync(() -> push(run, target));
        boolean complete = watch(run, driver, pushing, from);
        driver.stop(true);
        return !complete || run.verify("") ? 0 : 1;
    }

    /**
     * Pushes events {@code [sent, target)} at about {@code --rate}; a chunk counts as sent once every event of it was
     * acknowledged.
     */
    private static long push(DemoRun run, long target) {
        long rate = run.options.rate();
        try (EventSender sender = EventSender.discovering(
                run.settings.zookeeperConnect(),
                run.settings.httpSource().receiver().registryPath(),
                EventSender.Options.defaults()
                        .withPlainHttp() // the demo's receivers listen on 127.0.0.1 only
                        .withToken(run.settings.httpSource().receiver().token())
                        .withBatchSize(2000)
                        .withGzip(true))) {
            long next = run.sent();
            while (next < target && !run.stopping()) {
                long chunkStart = System.nanoTime();
                long end = Math.min(target, next + Math.max(1000, rate == 0 ? 5000 : rate / 2));
                long from = next;
                sender.send(java.util.stream.LongStream.range(from, end)
                        .mapToObj(seq -> run.generator.event(seq).ndjsonLine())
                        .iterator());
                next = end;
                run.sent(next);
                if (rate > 0) {
                    long due = chunkStart + TimeUnit.SECONDS.toNanos(end - from) / rate;
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
                }
            }
            return next;
        } catch (Exception e) {
            throw new IllegalStateException("demo: the sender failed: " + e, e);
        }
    }

    /**
     * Progress until every pushed event is written (true) or the driver stops (false): the lag is what this run pushed
     * minus what its batches wrote (copies of retried requests are not written, so they never count).
     */
    private static boolean watch(DemoRun run, DriverRuntime driver, CompletableFuture<Long> pushing, long from)
            throws Exception {
        ProgressDisplay display = new ProgressDisplay(run.sent());
        while (true) {
            if (driver.awaitTermination(2000)) {
                return false;
            }
            var snapshot = driver.metrics().snapshot();
            long lag = Math.max(0, run.sent() - from - snapshot.records() - snapshot.duplicates());
            display.print(run.sent(), snapshot, lag);
            if (pushing.isDone()) {
                pushing.join();
                if (lag == 0) {
                    return true;
                }
            }
        }
    }
}
