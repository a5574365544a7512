package io.sluice.capacity.model;

/** The node resources a plan sizes for. */
public enum Resource {
    NETWORK_IN("network in", "bytes/s"),
    NETWORK_OUT("network out", "bytes/s"),
    DISK_WRITE("disk write", "bytes/s"),
    CPU("cpu", "cores"),
    MEMORY("memory", "bytes");

    private final String label;
    private final String unit;

    Resource(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** The JSON name: {@code network_in}, {@code disk_write}, ... */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
