package dev.align4j.core.tokenizer;

import java.util.Arrays;

/** A growable int array, to collect ids without boxing. */
final class IntBuf {
    private int[] data;
    private int size;

    IntBuf(int capacity) {
        data = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = v;
    }

    void addAll(int[] vs) {
        for (int v : vs) {
            add(v);
        }
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
