package io.sluice.jobs.results;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Lifetime claims of visitors: the first count window that counted a user of a variation as new claims it, for good.
 * A window's new visitors are its users whose claim names it, so the sum of the new visitors over every window of a
 * variation is its distinct users over the experiment's lifetime, whatever order the windows are written in and
 * however often a batch is replayed: a claim, once made, is read back by every later attempt, and the event that
 * made it still counts in the window it names.
 */
public interface VisitorClaims {
    /**
     * Claims each visitor for the window start given, when no window claimed it yet, and returns every visitor's
     * claimed window start (the one given, or an earlier claim's).
     */
    Map<Visitor, Long> claim(Map<Visitor, Long> windowStarts) throws IOException;

    /** Claims kept in this process: for tests, and for counts recomputed from scratch in one process. */
    static VisitorClaims inMemory() {
        Map<Visitor, Long> claims = new HashMap<>();
        return windowStarts -> {
            Map<Visitor, Long> claimed = new HashMap<>();
            synchronized (claims) {
                windowStarts.forEach((v, start) -> claimed.put(v, claims.computeIfAbsent(v, k -> start)));
            }
            return claimed;
        };
    }
}
