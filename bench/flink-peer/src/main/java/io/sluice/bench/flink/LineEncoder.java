package io.sluice.bench.flink;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.flink.api.common.serialization.Encoder;

/** Writes each element's bytes as one line of a JSON-lines part file. */
final class LineEncoder implements Encoder<byte[]> {
    @Override
    public void encode(byte[] line, OutputStream out) throws IOException {
        out.write(line);
        out.write('\n');
    }
}
