package io.sluice.testkit.generator;

/**
 * What share of the generated events is of each kind a real stream has besides well-behaved events. Each share is
 * within [0, 1]; what is left is well-behaved (valid, on time, sent once).
 *
 * @param malformed rejected by the parser, in {@link EventGenerator}'s malformed kinds (each with its reason)
 * @param late sent {@link EventGenerator#LATE_BY_MS} behind its arrival: dead-lettered {@code late}
 * @param skewed from a producer whose clock is off: half {@link EventGenerator#AHEAD_BY_MS} ahead of their arrival,
 *     half {@link EventGenerator#BEHIND_BY_MS} behind
 * @param future from a producer whose clock is wrong: eleven months ahead, or stamped in microseconds (dead-lettered
 *     {@code future})
 * @param duplicate a resend of an earlier well-behaved event (same bytes, later position): kept once
 * @param oddButValid valid events in an unusual form: a UTF-8 byte order mark, or line breaks between tokens
 */
public record Mix(double malformed, double late, double skewed, double future, double duplicate, double oddButValid) {
    /** Only malformed and late events, as the first version of the generator made. */
    public static Mix classic(double malformed, double late) {
        return new Mix(malformed, late, 0, 0, 0, 0);
    }

    /** The demo's default: a little of everything. */
    public static Mix realistic(double malformed, double late) {
        return new Mix(malformed, late, 0.04, 0.002, 0.005, 0.004);
    }

    public Mix {
        check("malformed", malformed);
        check("late", late);
        check("skewed", skewed);
        check("future", future);
        check("duplicate", duplicate);
        check("odd-but-valid", oddButValid);
    }

    private static void check(String what, double share) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException(what + " share must be within [0, 1], got " + share);
        }
    }
}
