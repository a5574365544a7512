package io.sluice.jobs.event;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Name-value pairs as a JSON object gives them, made an immutable map once, when the object closes: an event's fields
 * and attributes no longer pass through a hash map and then a copy of it ({@code Event} keeps immutable maps), which
 * was a third of the parser's samples in a profile. Of duplicate names the last wins, as JSON readers do.
 */
final class TextEntries {
    private String[] pairs = new String[16];
    private int size;

    void put(String name, String value) {
        if (2 * size + 2 > pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[2 * size] = name;
        pairs[2 * size + 1] = value;
        size++;
    }

    /** The pairs given, duplicates included. */
    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    Map<String, String> toMap() {
        if (size == 0) {
            return Map.of();
        }
        Map.Entry<String, String>[] entries = new Map.Entry[size];
        for (int i = 0; i < size; i++) {
            entries[i] = Map.entry(pairs[2 * i], pairs[2 * i + 1]);
        }
        try {
            return Map.ofEntries(entries);
        } catch (IllegalArgumentException duplicateName) {
            Map<String, String> lastWins = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : entries) {
                lastWins.put(e.getKey(), e.getValue());
            }
            return Map.copyOf(lastWins);
        }
    }
}
