package io.sluice.capacity.report;

import io.sluice.capacity.model.Resource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** How a plan's amounts read for people: MB/s for bandwidth, cores, GB and TB; always with Locale.ROOT digits. */
final class Quantities {
    private Quantities() {}

    static String amount(Resource resource, double v) {
        return switch (resource.unit()) {
            case CORES -> String.format(Locale.ROOT, "%,.1f cores", v);
            case BYTES -> String.format(Locale.ROOT, "%,.1f GB", v / 1e9);
            case BYTES_PER_SECOND -> megabytesPerSecond(v);
        };
    }

    static String megabytesPerSecond(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%,.1f MB/s", bytesPerSecond / 1e6);
    }

    static String bytes(double v) {
        return v >= 1e12
                ? String.format(Locale.ROOT, "%,.1f TB", v / 1e12)
                : String.format(Locale.ROOT, "%,.1f GB", v / 1e9);
    }

    static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    /** 1 for 1.0, 0.25 for 0.25, 0.32 for 0.31983 (at most three decimals: ratios derived from measured bytes). */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(v)
                .setScale(3, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
