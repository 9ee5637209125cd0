package dev.align4j.annotate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One of the two original responses of a pair. */
public enum Response {
    @JsonProperty("a") A,
    @JsonProperty("b") B;

    public Response other() {
        return this == A ? B : A;
    }

    /** The choice that prefers this response. */
    public Choice choice() {
        return this == A ? Choice.A : Choice.B;
    }
}
