package io.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonLinesTest {
    private static final byte[] BODY = {
        '{',
        '}',
        '\r',
        '\n',
        '\n',
        ' ',
        '\t',
        '\n',
        '{',
        (byte) 0xC3,
        (byte) 0x28,
        '}',
        '\n',
        (byte) 0xFF,
        '\n',
        '[',
        ']'
    };

    @Test
    void linesAreSplitOnBytesKeptWholeAndBlankOnesSkipped() {
        List<byte[]> lines = NdjsonLines.split(BODY);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).containsExactly('{', '}');
        assertThat(lines.get(1)).containsExactly('{', (byte) 0xC3, (byte) 0x28, '}');
        assertThat(lines.get(2)).containsExactly((byte) 0xFF);
        assertThat(lines.get(3)).containsExactly('[', ']');
        assertThat(NdjsonLines.count(BODY)).isEqualTo(4);
        assertThat(NdjsonLines.count(new byte[0])).isZero();
    }

    @Test
    void aStreamGivesTheSameLinesAsTheBody() {
        List<byte[]> read = new ArrayList<>();
        Iterator<byte[]> lines = NdjsonLines.read(new ByteArrayInputStream(BODY));
        lines.forEachRemaining(read::add);
        assertThat(read).usingElementComparator(java.util.Arrays::compare).isEqualTo(NdjsonLines.split(BODY));
        assertThat(NdjsonLines.read(new ByteArrayInputStream("\n \n".getBytes()))
                        .hasNext())
                .isFalse();
    }
}
