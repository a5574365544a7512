package io.sluice.capacity.model;

import java.util.Locale;

/**
 * Input checks whose message names the command-line flag and what it expects, so a bad value becomes one clear line
 * such as {@code --node-cores must be a positive integer, got '0'}.
 */
final class Inputs {
    private Inputs() {}

    static void positive(String flag, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(flag + " must be a positive number, got " + quote(value));
        }
    }

    static void positiveInteger(String flag, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(flag + " must be a positive integer, got " + quote(value));
        }
    }

    static void atLeast(String flag, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(flag + " must be a number >= " + format(min) + ", got " + quote(value));
        }
    }

    static void integerAtLeast(String flag, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(flag + " must be an integer >= " + min + ", got " + quote(value));
        }
    }

    static void between(String flag, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    flag + " must be a number from " + format(min) + " to " + format(max) + ", got " + quote(value));
        }
    }

    private static String quote(double v) {
        return "'" + format(v) + "'";
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
