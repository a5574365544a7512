package io.sluice.capacity.model;

/** Input checks whose message names the command-line flag, so a bad value is one clear line. */
final class Inputs {
    private Inputs() {}

    static void positive(String flag, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(flag + " must be a positive number, got " + format(value));
        }
    }

    static void atLeast(String flag, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(flag + " must be at least " + format(min) + ", got " + format(value));
        }
    }

    static void between(String flag, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(flag + " must be from " + format(min) + " to " + format(max) + ", got "
                    + format(value));
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
