package io.sluice.capacity.model;

/** One worker node: cores, network interface (Gbit/s, full duplex), sequential disk write bandwidth, memory. */
public record NodeType(int cores, double nicGbps, double diskMBps, double memoryGb) {
    public NodeType {
        Inputs.positive("--node-cores", cores);
        Inputs.positive("--nic-gbps", nicGbps);
        Inputs.positive("--disk-mbps", diskMBps);
        Inputs.positive("--node-memory-gb", memoryGb);
    }

    /** NIC bandwidth in bytes per second in each direction. */
    public double nicBytesPerSecond() {
        return nicGbps * 1e9 / 8;
    }

    public double diskBytesPerSecond() {
        return diskMBps * 1e6;
    }
}
