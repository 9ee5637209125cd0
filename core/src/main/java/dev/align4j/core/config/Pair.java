package dev.align4j.core.config;

/** Two records loaded from one flat config map, see {@link ConfigLoader#loadSplit}. */
public record Pair<A, B>(A first, B second) {}
