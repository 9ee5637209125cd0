package dev.align4j.core.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where in a config an error belongs when the message only names a key: a record's own check
 * ({@code learning_rate: must be >= 0}) or a later one made against a model or data
 * ({@code lora_target_modules: 'x' matches no linear layer}). The error moves to that key's line
 * ({@code FILE:LINE: key: what}), or to {@code --set} when a flag set the key.
 */
final class ConfigLocations {

    /** A key at the start of a message. */
    private static final Pattern LEADING_KEY = Pattern.compile("([a-z][a-z0-9_]*)");
    /** Any word that might be a key. */
    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9_]*");
    /** {@code key:} or {@code key[3]:} at the start of a message. */
    private static final Pattern NAMED_KEY = Pattern.compile("([a-z][a-z0-9_]*)(?:\\[(\\d+)\\])?:");

    private ConfigLocations() {
    }

    /**
     * A record's own check failed ({@code "learning_rate: must be > 0, got -1"}, {@code "n_heads must
     * be > 0"}): the error at the line of the key the message names first (its leading word, else the
     * first key of {@code node} it mentions), or {@code --set: key} when a flag set that key; with no key
     * named, the file alone.
     */
    static UserInputException located(ConfigSource src, ObjectNode node, String what, Throwable cause) {
        Matcher lead = LEADING_KEY.matcher(what);
        if (lead.lookingAt() && node.has(lead.group(1))) {
            String key = lead.group(1);
            boolean prefixed = what.startsWith(key + ":");
            String rest = prefixed ? what.substring(key.length() + 1).strip() : what;
            return prefixed ? src.error(key, rest) : keyLine(src, key, what);
        }
        Matcher words = WORD.matcher(what);
        while (words.find()) {
            if (node.has(words.group())) {
                return keyLine(src, words.group(), what);
            }
        }
        String where = src.label() + (src.hasOverrides() ? " with flags" : "");
        return new UserInputException(where + ": " + what, cause);
    }

    /** {@code file:line: what} at {@code key}'s line, where {@code what} already names the key. */
    private static UserInputException keyLine(ConfigSource src, String key, String what) {
        if (src.fromOverride(key)) {
            return UserInputException.at(ConfigSource.OVERRIDE, 0, null, what);
        }
        return UserInputException.at(src.label(), src.line(key), null, what);
    }

    /**
     * A check made after loading failed with {@code e}: when its message starts with a key this config
     * gave ({@code key:} or {@code key[i]:}), the error at that key's line (or {@code --set}); a key of
     * {@code valid} the file leaves out gets the file alone; otherwise {@code e} unchanged.
     */
    static UserInputException locate(ConfigSource source, Set<String> valid, UserInputException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        Matcher m = NAMED_KEY.matcher(msg);
        if (!m.lookingAt()) {
            return e;
        }
        String key = m.group(1);
        String what = msg.substring(m.end()).strip();
        UserInputException located;
        if (source.root().has(key)) {
            String path = m.group(2) == null ? key : key + "." + m.group(2);
            located = m.group(2) == null ? source.error(key, what) : source.error(path, what);
        } else if (valid.contains(key) && source.file() != null) {
            located = UserInputException.at(source.label(), 0, key, what); // a key the file leaves out
        } else {
            return e;
        }
        located.initCause(e);
        return located;
    }
}
