package io.sluice.capacity.model;

import java.util.Locale;

/** The node resources a plan sizes for, in the order plans list them. */
public enum Resource {
    NETWORK_IN("network in", Unit.BYTES_PER_SECOND),
    NETWORK_OUT("network out", Unit.BYTES_PER_SECOND),
    DISK_WRITE("disk write", Unit.BYTES_PER_SECOND),
    DISK_READ("disk read", Unit.BYTES_PER_SECOND),
    CPU("cpu", Unit.CORES),
    MEMORY("memory", Unit.BYTES);

    /** What a resource's demand is measured in. */
    public enum Unit {
        BYTES_PER_SECOND,
        CORES,
        BYTES
    }

    private final String label;
    private final Unit unit;

    Resource(String label, Unit unit) {
        this.label = label;
        this.unit = unit;
    }

    /** For people: {@code network in}, {@code disk write}, ... */
    public String label() {
        return label;
    }

    public Unit unit() {
        return unit;
    }

    /** For machines (JSON, SVG): {@code network_in}, {@code disk_write}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
