package dev.align4j.datasets.format;

import dev.align4j.core.UserInputException;

/**
 * A record that cannot be used: which field and what is wrong. Thrown by parsers without knowing the
 * file; the loader adds {@code file:line} and either stops or counts the record as skipped.
 */
public final class RecordError extends RuntimeException {

    private final String field;
    private final String what;

    public RecordError(String field, String what) {
        super(field == null ? what : field + ": " + what, null, false, false);
        this.field = field;
        this.what = what;
    }

    public String field() {
        return field;
    }

    public String what() {
        return what;
    }

    /** The user-facing error at {@code source}: {@code file:line: field: what}. */
    public UserInputException at(Source source) {
        return UserInputException.at(source.file(), source.line(), field, what);
    }
}
