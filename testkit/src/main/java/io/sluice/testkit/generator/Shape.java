package io.sluice.testkit.generator;

/**
 * The shape of the generated events, for the benchmark's scaling curves: how many experiments the traffic spreads over
 * (popularity falling off like 1/rank) and how large a valid event is.
 *
 * @param experiments distinct experiments, at least 1 (the default 40 over 5 accounts)
 * @param eventBytes the size a valid event is padded to with a {@code pad} attribute, or 0 for its natural size (about
 *     600 bytes); an event already larger is not cut, and one within a dozen bytes of it may end a few bytes over
 */
public record Shape(int experiments, int eventBytes) {
    /** The demo's events: 40 experiments, about 600 bytes. */
    public static final Shape DEFAULT = new Shape(40, 0);

    /** The longest pad value: the parser's default longest string is 4096 characters. */
    static final int PAD_CHUNK = 4000;

    public Shape {
        if (experiments < 1 || eventBytes < 0) {
            throw new IllegalArgumentException(
                    "a shape needs at least one experiment and a size >= 0, got " + experiments + ", " + eventBytes);
        }
    }
}
