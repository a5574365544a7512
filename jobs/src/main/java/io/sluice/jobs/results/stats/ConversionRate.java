package io.sluice.jobs.results.stats;

/**
 * Conversions over a denominator, with a 95 % Wilson interval.
 *
 * @param conversions events of the conversion type
 * @param denominator the visitors, or the impressions when no visitors are counted ({@code denominatorKind} says which)
 * @param rate {@code conversions / denominator}; null when the denominator is 0
 * @param interval the 95 % Wilson score interval; null when the denominator is 0, or when there are more conversions
 *     than the denominator (conversions are events, so one visitor may convert twice: no binomial proportion then)
 * @param note why the rate or the interval is missing, or null
 */
public record ConversionRate(
        long conversions,
        long denominator,
        Denominator denominatorKind,
        Double rate,
        WilsonInterval interval,
        String note) {
    /** What a conversion rate is divided by. */
    public enum Denominator {
        /** Distinct users. */
        VISITORS,
        /** Impression events: the fallback while no visitors are counted. */
        IMPRESSIONS,
        /** Neither: no rate. */
        NONE
    }

    /** Conversions per visitor, or per impression when {@code visitors} is 0. */
    public static ConversionRate of(long conversions, long visitors, long impressions) {
        if (visitors > 0) {
            return over(conversions, visitors, Denominator.VISITORS);
        }
        if (impressions > 0) {
            return over(conversions, impressions, Denominator.IMPRESSIONS);
        }
        return new ConversionRate(conversions, 0, Denominator.NONE, null, null, "no visitors and no impressions");
    }

    private static ConversionRate over(long conversions, long denominator, Denominator kind) {
        double rate = (double) conversions / denominator;
        if (conversions > denominator) {
            return new ConversionRate(
                    conversions,
                    denominator,
                    kind,
                    rate,
                    null,
                    "more conversions than " + kind.name().toLowerCase(java.util.Locale.ROOT)
                            + ": not a proportion, no interval");
        }
        return new ConversionRate(
                conversions, denominator, kind, rate, WilsonInterval.of95(conversions, denominator), null);
    }
}
