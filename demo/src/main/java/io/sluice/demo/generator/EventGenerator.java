package io.sluice.demo.generator;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Realistic ~600-byte A/B-testing events, a pure function of {@code (seed, seq)}: the same seed always gives the same
 * events, so the ground truth of a run can be recomputed from the seed and the count alone. A configurable share is
 * malformed, in several ways the parser must reject (bad JSON, missing or mistyped fields, oversized, too deep).
 *
 * <p>Event time starts ten minutes before a whole hour and advances {@link #EVENT_SPACING_MS} per event, so a run
 * spans hour partitions of the archive and many count windows. A configurable share of valid events is sent
 * {@link #LATE_BY_MS} behind the others: later than any sane allowed lateness, so the pipeline dead-letters them as
 * {@code late} (which of them exactly is {@link GroundTruth}'s to say: it depends on the partition's events before).
 *
 * <p>Events go to partition {@code seq % partitions} ({@link #partition}), so every partition's events are in
 * sequence order and the ground truth can follow each partition's event-time clock.
 */
public final class EventGenerator {
    public static final long EVENT_SPACING_MS = 7;
    public static final long LATE_BY_MS = 10 * 60_000L;
    private static final String[] TYPES = {
        "impression",
        "impression",
        "impression",
        "impression",
        "impression",
        "impression",
        "impression",
        "impression",
        "conversion",
        "click"
    };
    private static final String[] COUNTRIES = {"DE", "FR", "US", "GB", "BR", "IN", "JP", "NL", "ES", "IT"};
    private static final String[] BROWSERS = {"chrome", "firefox", "safari", "edge", "samsung"};
    private static final String[] OSES = {"android", "ios", "windows", "macos", "linux"};
    private static final int MALFORMED_KINDS = 6;

    private final long seed;
    private final double malformedShare;
    private final double lateShare;
    private final long startMillis;

    public EventGenerator(long seed, double malformedShare) {
        this(seed, malformedShare, 0);
    }

    public EventGenerator(long seed, double malformedShare, double lateShare) {
        if (malformedShare < 0 || malformedShare > 1) {
            throw new IllegalArgumentException("malformed share must be within [0, 1], got " + malformedShare);
        }
        if (lateShare < 0 || lateShare > 1) {
            throw new IllegalArgumentException("late share must be within [0, 1], got " + lateShare);
        }
        this.seed = seed;
        this.malformedShare = malformedShare;
        this.lateShare = lateShare;
        long hour = 1_767_225_600_000L + Math.floorMod(seed, 24 * 365) * 3_600_000L; // from 2026-01-01T00:00Z
        this.startMillis = hour - 10 * 60_000L;
    }

    public long seed() {
        return seed;
    }

    /** The partition event {@code seq} is sent to. */
    public static int partition(long seq, int partitions) {
        return (int) Math.floorMod(seq, (long) partitions);
    }

    public GeneratedEvent event(long seq) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + seq);
        boolean malformed = random.nextDouble() < malformedShare;
        boolean late = random.nextDouble() < lateShare;
        String id = "evt-" + seed + "-" + seq;
        long ts = startMillis + seq * EVENT_SPACING_MS + random.nextInt(5) - (late ? LATE_BY_MS : 0);
        String valid = validJson(id, ts, random);
        if (!malformed) {
            return new GeneratedEvent(seq, id, ts, valid.getBytes(StandardCharsets.UTF_8), false);
        }
        return new GeneratedEvent(seq, null, ts, malformedJson(valid, random).getBytes(StandardCharsets.UTF_8), true);
    }

    private String validJson(String id, long ts, SplittableRandom r) {
        int experiment = skewed(r, 40);
        int account = experiment % 5;
        int variations = 2 + experiment % 3;
        long user = r.nextLong(100_000);
        String country = COUNTRIES[r.nextInt(COUNTRIES.length)];
        return "{\"event_id\":\"" + id + "\",\"ts\":" + ts
                + ",\"account_id\":\"acct-" + account + "\",\"experiment_id\":\"exp-" + experiment
                + "\",\"variation_id\":\"var-" + r.nextInt(variations) + "\",\"user_id\":\"user-" + user
                + "\",\"type\":\"" + TYPES[r.nextInt(TYPES.length)] + "\",\"attributes\":{\"country\":\"" + country
                + "\",\"browser\":\"" + BROWSERS[r.nextInt(BROWSERS.length)] + "\",\"os\":\""
                + OSES[r.nextInt(OSES.length)] + "\",\"app_version\":\"" + (3 + r.nextInt(3)) + "." + r.nextInt(20)
                + "." + r.nextInt(100) + "\",\"session_id\":\"" + Long.toHexString(r.nextLong())
                + Long.toHexString(r.nextLong())
                + "\",\"page\":\"https://shop.example.com/" + country.toLowerCase(java.util.Locale.ROOT)
                + "/catalog/item-"
                + r.nextInt(5000) + "?ref=campaign-" + r.nextInt(300) + "&utm_source=newsletter&utm_medium=email\""
                + ",\"referrer\":\"https://www.search.example.org/results?q=" + Long.toHexString(r.nextLong())
                + "\",\"screen\":\"" + (320 + r.nextInt(2240)) + "x" + (480 + r.nextInt(1000))
                + "\",\"locale\":\"" + country.toLowerCase(java.util.Locale.ROOT) + "-" + country
                + "\",\"load_ms\":" + r.nextInt(4000) + ",\"logged_in\":" + r.nextBoolean()
                + ",\"cart_value_cents\":" + r.nextInt(50_000) + "}}";
    }

    private static String malformedJson(String valid, SplittableRandom r) {
        return switch (r.nextInt(MALFORMED_KINDS)) {
            case 0 -> valid.substring(0, 40 + r.nextInt(valid.length() / 2)); // truncated
            case 1 -> valid.replaceFirst("\"user_id\":\"[^\"]*\",", ""); // missing field
            case 2 -> valid.replaceFirst("\"ts\":\\d+", "\"ts\":\"yesterday\""); // mistyped
            case 3 -> "GET /collect?" + Long.toHexString(r.nextLong()) + " HTTP/1.1"; // not JSON at all
            case 4 -> valid.replace(
                    "\"attributes\":{", "\"attributes\":{\"blob\":\"" + "x".repeat(20_000) + "\","); // oversized
            default -> valid.replace(
                    "\"attributes\":{", "\"nested\":[[[[[[[[[[1]]]]]]]]]],\"attributes\":{"); // too deep
        };
    }

    /** Experiment popularity falls off roughly like 1/rank, so the top-N is meaningful. */
    private static int skewed(SplittableRandom r, int n) {
        double u = r.nextDouble();
        return (int) Math.min(n - 1, Math.floor(Math.pow(n + 1, u)) - 1);
    }
}
