package io.sluice.wal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Newline-delimited events as bytes, never decoded: a line ends at {@code \n} (a {@code \r} before it is dropped), blank
 * lines (spaces and tabs only) are skipped, and every other line is kept byte for byte, whatever its encoding. A line
 * that is not UTF-8 is therefore one event like any other, which the parser dead-letters downstream; it cannot make
 * the receiver refuse, or the sender abandon, the events around it.
 */
public final class NdjsonLines {
    private NdjsonLines() {}

    /** The non-blank lines of {@code body}, each as its own bytes. */
    public static List<byte[]> split(byte[] body) {
        List<byte[]> lines = new ArrayList<>();
        forEach(body, (from, to) -> lines.add(Arrays.copyOfRange(body, from, to)));
        return lines;
    }

    /** How many lines {@link #split} would return, without copying them. */
    public static int count(byte[] body) {
        int[] n = {0};
        forEach(body, (from, to) -> n[0]++);
        return n[0];
    }

    private interface LineVisitor {
        void line(int from, int to);
    }

    private static void forEach(byte[] body, LineVisitor visitor) {
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (!isBlank(body, start, end)) {
                    visitor.line(start, end);
                }
                start = i + 1;
            }
        }
    }

    /**
     * The non-blank lines of {@code in}, read lazily; a read error is thrown as {@link UncheckedIOException}. The caller
     * closes {@code in}.
     */
    public static Iterator<byte[]> read(InputStream in) {
        InputStream buffered = new BufferedInputStream(in, 64 * 1024);
        return new Iterator<>() {
            private byte[] next;
            private boolean eof;

            @Override
            public boolean hasNext() {
                while (next == null && !eof) {
                    next = readLine();
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] line = next;
                next = null;
                return line;
            }

            /** The next line, or null for a blank line or the end of the input. */
            private byte[] readLine() {
                ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
                try {
                    for (int b; ; ) {
                        b = buffered.read();
                        if (b < 0) {
                            eof = true;
                            break;
                        }
                        if (b == '\n') {
                            break;
                        }
                        line.write(b);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                List<byte[]> one = split(line.toByteArray());
                return one.isEmpty() ? null : one.get(0);
            }
        };
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
