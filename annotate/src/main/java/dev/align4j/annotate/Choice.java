package dev.align4j.annotate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a label says about a pair, in terms of the original responses A and B (never screen sides). */
public enum Choice {
    /** Response A is better. */
    @JsonProperty("a") A,
    /** Response B is better. */
    @JsonProperty("b") B,
    /** Neither is better. */
    @JsonProperty("tie") TIE,
    /** The annotator declined to judge this pair. */
    @JsonProperty("skip") SKIP;

    /** True for A and B: a label that prefers one response. */
    public boolean decided() {
        return this == A || this == B;
    }

    /** The lower-case name used in files and tables. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
