package dev.align4j.core;

/**
 * Bad input from a user: a config, a data file, a model folder, a flag. The CLI prints the message
 * alone and exits with code 2. Messages name the file, line and field where known:
 * {@code data.jsonl:17: output: missing field}.
 */
public class UserInputException extends RuntimeException {

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code file:line: field: what} with the parts that are known (null parts left out). */
    public static UserInputException at(Object file, long line, String field, String what) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (field != null) {
            sb.append(field).append(": ");
        }
        sb.append(what);
        return new UserInputException(sb.toString());
    }
}
