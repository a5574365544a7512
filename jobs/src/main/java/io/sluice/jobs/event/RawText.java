package io.sluice.jobs.event;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Checks on an event's raw bytes before they are parsed: the UTF-8 byte order mark, and UTF-8 validity. */
final class RawText {
    private RawText() {}

    /** 3 when {@code bytes} start with the UTF-8 byte order mark EF BB BF, else 0. */
    static int utf8BomLength(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF
                ? 3
                : 0;
    }

    /**
     * The index of the first byte of {@code bytes} (from {@code from}) that is not part of valid UTF-8, or -1 when all
     * are valid. ASCII, the common case, is one pass without allocation; anything else goes through the JDK's strict
     * decoder (which refuses overlong forms, encoded surrogates and truncated sequences).
     */
    static int firstInvalidUtf8(byte[] bytes, int from) {
        int i = from;
        while (i < bytes.length && bytes[i] >= 0) {
            i++;
        }
        if (i == bytes.length) {
            return -1;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, bytes.length - from);
        try {
            decoder.decode(in);
            return -1;
        } catch (CharacterCodingException e) {
            return locate(bytes, from);
        }
    }

    /** Finds the failing position by decoding ever longer prefixes' last character: only on the rare error path. */
    private static int locate(byte[] bytes, int from) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, bytes.length - from);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length - from + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : bytes.length;
    }
}
