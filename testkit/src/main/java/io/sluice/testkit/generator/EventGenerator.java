package io.sluice.testkit.generator;

import io.sluice.api.event.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Realistic ~600-byte A/B-testing events, a pure function of {@code (seed, start, mix, seq)}: the same inputs always
 * give the same events, so the ground truth of a run can be recomputed from them and the count alone.
 *
 * <p>Event {@code seq} arrives at {@code start + seq * EVENT_SPACING_MS} (its Kafka record timestamp, set by
 * {@link EventProducer}); a well-behaved producer stamps it within a few milliseconds of that. The {@link Mix} says
 * what share is otherwise: malformed in several ways the parser must reject (each kind with its reason), late (sent
 * {@link #LATE_BY_MS} behind), from producers whose clocks are skewed (ahead or behind, within any sane bound) or
 * wrong (eleven months ahead, or in microseconds), resent (an earlier well-behaved event again, at a later position),
 * or valid in an unusual form (a byte order mark, line breaks between tokens). Which of them the pipeline must find
 * late or too far ahead is {@link GroundTruth}'s to say: it depends on the partition's events before.
 *
 * <p>Events go to partition {@code seq % partitions} ({@link #partition}), so every partition's events are in
 * sequence order and the ground truth can follow each partition's event-time clock.
 */
public final class EventGenerator {
    public static final long EVENT_SPACING_MS = 7;
    public static final long LATE_BY_MS = 10 * 60_000L;
    /** How far ahead of its arrival a producer with a fast clock stamps its events. */
    public static final long AHEAD_BY_MS = 20_000;
    /** How far behind its arrival a producer with a slow clock stamps its events. */
    public static final long BEHIND_BY_MS = 2_000;
    /** A wrong clock: eleven months ahead. */
    public static final long WRONG_CLOCK_AHEAD_MS = 335L * 24 * 3_600_000;
    /** How far back a resend reaches, in events. */
    public static final int RESEND_DISTANCE = 200;

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
    private static final int MALFORMED_KINDS = 10;

    private enum Kind {
        PLAIN,
        MALFORMED,
        LATE,
        SKEWED,
        FUTURE,
        RESEND,
        ODD_BUT_VALID
    }

    private final long seed;
    private final Mix mix;
    private final long startMillis;
    private final Shape shape;

    /** Malformed events only; arrivals from the hour before now. */
    public EventGenerator(long seed, double malformedShare) {
        this(seed, Mix.classic(malformedShare, 0), defaultStart(System.currentTimeMillis()));
    }

    /** Malformed and late events only; arrivals from the hour before now. */
    public EventGenerator(long seed, double malformedShare, double lateShare) {
        this(seed, Mix.classic(malformedShare, lateShare), defaultStart(System.currentTimeMillis()));
    }

    /**
     * @param startMillis the arrival time of event 0 (epoch ms): keep it within days of now, since Kafka's time-based
     *     retention and segment rolling go by record timestamps
     */
    public EventGenerator(long seed, Mix mix, long startMillis) {
        this(seed, mix, startMillis, Shape.DEFAULT);
    }

    /** With events of {@code shape}: the benchmark's scaling curves. */
    public EventGenerator(long seed, Mix mix, long startMillis, Shape shape) {
        this.seed = seed;
        this.mix = mix;
        this.startMillis = startMillis;
        this.shape = shape;
    }

    /** Ten minutes before the hour that holds {@code now} began: runs span an hour boundary of the archive. */
    public static long defaultStart(long now) {
        return Math.floorDiv(now, 3_600_000L) * 3_600_000L - 10 * 60_000L;
    }

    public long seed() {
        return seed;
    }

    public Mix mix() {
        return mix;
    }

    /** The arrival time of event 0. */
    public long start() {
        return startMillis;
    }

    /** The partition event {@code seq} is sent to. */
    public static int partition(long seq, int partitions) {
        return (int) Math.floorMod(seq, (long) partitions);
    }

    /** When event {@code seq} arrives: its Kafka record timestamp. */
    public long arrival(long seq) {
        return startMillis + seq * EVENT_SPACING_MS;
    }

    public GeneratedEvent event(long seq) {
        SplittableRandom random = random(seq);
        Kind kind = kind(seq, random);
        long arrival = arrival(seq);
        if (kind == Kind.RESEND) {
            long original = resendOriginal(seq);
            GeneratedEvent first = event(original);
            return new GeneratedEvent(seq, first.eventId(), first.ts(), arrival, first.json(), null, original);
        }
        String id = "evt-" + seed + "-" + seq;
        long ts =
                switch (kind) {
                    case LATE -> arrival - LATE_BY_MS + random.nextInt(5);
                    case SKEWED -> random.nextBoolean() ? arrival + AHEAD_BY_MS : arrival - BEHIND_BY_MS;
                    case FUTURE -> random.nextBoolean() ? arrival + WRONG_CLOCK_AHEAD_MS : arrival * 1000;
                    default -> arrival + random.nextInt(5);
                };
        String valid = validJson(id, ts, random);
        if (kind == Kind.MALFORMED) {
            int malformedKind = random.nextInt(MALFORMED_KINDS);
            return new GeneratedEvent(
                    seq, null, ts, arrival, malformedJson(malformedKind, valid, random), reason(malformedKind), -1);
        }
        byte[] json = valid.getBytes(StandardCharsets.UTF_8);
        if (kind == Kind.ODD_BUT_VALID) {
            json = random.nextBoolean()
                    ? withByteOrderMark(json)
                    : valid.replace(",\"", ",\r\n  \"").getBytes(StandardCharsets.UTF_8);
        }
        return new GeneratedEvent(seq, id, ts, arrival, json, null, -1);
    }

    /** The event a resend at {@code seq} repeats. */
    private long resendOriginal(long seq) {
        return seq - 1 - new SplittableRandom(seed * 31 + seq).nextInt(RESEND_DISTANCE);
    }

    private SplittableRandom random(long seq) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + seq);
    }

    /** The kind of event {@code seq}; a resend of an event that was not well-behaved is sent well-behaved instead. */
    private Kind kind(long seq, SplittableRandom random) {
        double u = random.nextDouble();
        double[] shares = {mix.malformed(), mix.late(), mix.skewed(), mix.future(), mix.duplicate(), mix.oddButValid()};
        Kind[] kinds = {Kind.MALFORMED, Kind.LATE, Kind.SKEWED, Kind.FUTURE, Kind.RESEND, Kind.ODD_BUT_VALID};
        double upTo = 0;
        for (int i = 0; i < shares.length; i++) {
            upTo += shares[i];
            if (u < upTo) {
                if (kinds[i] != Kind.RESEND) {
                    return kinds[i];
                }
                // the original must be a well-behaved event: peek at its kind with its own random sequence
                long original = resendOriginal(seq);
                return original >= 0 && kind(original, random(original)) == Kind.PLAIN ? Kind.RESEND : Kind.PLAIN;
            }
        }
        return Kind.PLAIN;
    }

    private String validJson(String id, long ts, SplittableRandom r) {
        String json = naturalJson(id, ts, r);
        int missing = shape.eventBytes() - json.length(); // ASCII only: characters are bytes
        if (missing <= 0) {
            return json;
        }
        StringBuilder padded = new StringBuilder(shape.eventBytes()).append(json, 0, json.length() - 2);
        for (int k = 0; missing > 0; k++) {
            String name = ",\"pad" + k + "\":\"\"";
            int chunk = missing - name.length(); // the rest in this one, if it fits
            if (chunk > Shape.PAD_CHUNK) {
                chunk = Math.min(Shape.PAD_CHUNK, chunk - name.length() - 1); // room for the next one's name
            }
            chunk = Math.max(0, chunk);
            padded.append(name, 0, name.length() - 1).append("x".repeat(chunk)).append('"');
            missing -= name.length() + chunk;
        }
        return padded.append("}}").toString();
    }

    private String naturalJson(String id, long ts, SplittableRandom r) {
        int experiment = skewed(r, shape.experiments());
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

    /** What the parser must answer to malformed kind {@code kind}. */
    private static DeadLetterReason reason(int kind) {
        return switch (kind) {
            case 0, 3 -> DeadLetterReason.MALFORMED_JSON;
            case 1 -> DeadLetterReason.MISSING_FIELD;
            case 2 -> DeadLetterReason.INVALID_FIELD;
            case 4 -> DeadLetterReason.TOO_LARGE;
            case 5 -> DeadLetterReason.TOO_DEEP;
            case 6 -> DeadLetterReason.INVALID_ENCODING;
            case 7 -> DeadLetterReason.CONTROL_CHARACTER;
            case 8 -> DeadLetterReason.DUPLICATE_KEY;
            default -> DeadLetterReason.NUMBER_OUT_OF_RANGE;
        };
    }

    private static byte[] withByteOrderMark(byte[] json) {
        byte[] out = new byte[json.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(json, 0, out, 3, json.length);
        return out;
    }

    private static byte[] malformedJson(int kind, String valid, SplittableRandom r) {
        if (kind == 6) { // a byte that is never valid UTF-8, inside a string
            byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
            bytes[valid.indexOf("\"country\":\"") + 11] = (byte) 0xFF;
            return bytes;
        }
        return malformedText(kind, valid, r).getBytes(StandardCharsets.UTF_8);
    }

    private static String malformedText(int kind, String valid, SplittableRandom r) {
        return switch (kind) {
            case 0 -> valid.substring(0, 40 + r.nextInt(valid.length() / 2)); // truncated
            case 1 -> valid.replaceFirst("\"user_id\":\"[^\"]*\",", ""); // missing field
            case 2 -> valid.replaceFirst("\"ts\":\\d+", "\"ts\":\"yesterday\""); // mistyped
            case 3 -> "GET /collect?" + Long.toHexString(r.nextLong()) + " HTTP/1.1"; // not JSON at all
            case 4 -> valid.replace(
                    "\"attributes\":{", "\"attributes\":{\"blob\":\"" + "x".repeat(20_000) + "\","); // oversized
            case 5 -> valid.replace(
                    "\"attributes\":{", "\"nested\":[[[[[[[[[[1]]]]]]]]]],\"attributes\":{"); // too deep
            case 7 -> valid.replace("\"page\":\"", "\"page\":\"" + (char) 1); // a raw control character in a string
            case 8 -> valid.replace("\"type\":", "\"type\":\"click\",\"type\":"); // duplicate key
            default -> valid.replace(
                    "\"load_ms\":",
                    "\"viewport_ratio\":" + (r.nextBoolean() ? "1e999" : "123456789012345678901234") + ",\"load_ms\":");
        };
    }

    /** Experiment popularity falls off roughly like 1/rank, so the top-N is meaningful. */
    private static int skewed(SplittableRandom r, int n) {
        double u = r.nextDouble();
        return (int) Math.min(n - 1, Math.floor(Math.pow(n + 1, u)) - 1);
    }
}
