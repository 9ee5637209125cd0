package dev.align4j.core.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level scheme, shared by {@link BpeTrainer} and {@link BpeTokenizer}: a reversible map
 * from the 256 byte values to printable characters (so that a vocabulary of strings can hold every
 * byte, and {@code tokenizer.json} stays valid JSON text), and the pre-tokenization regex that cuts
 * text into words before BPE. Both must match the Hugging Face {@code ByteLevel} pre-tokenizer
 * exactly, or ids differ between Java and DJL.
 */
final class ByteLevel {

    /**
     * GPT-2's pattern (Radford et al. 2019, encoder.py): English contractions, optional space plus
     * letters, optional space plus digits, optional space plus other symbols, then whitespace runs
     * that leave their last space to the next word. UNICODE_CHARACTER_CLASS makes {@code \s} the
     * Unicode White_Space set, as in the Oniguruma regex Hugging Face uses.
     */
    static final Pattern PRE_TOKENIZE = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** Byte value (0..255) to its printable stand-in. */
    static final char[] BYTE_TO_CHAR = new char[256];
    /** Stand-in character to byte value, -1 where the character is not a stand-in. */
    static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            // printable Latin-1 bytes stand for themselves; the rest are shifted past 255
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    /** The pieces of {@code text} in order; their concatenation is {@code text}. */
    static List<String> preTokenize(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PRE_TOKENIZE.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.add(text.substring(last, m.start())); // cannot happen with this pattern; kept for safety
            }
            out.add(m.group());
            last = m.end();
        }
        if (last < text.length()) {
            out.add(text.substring(last));
        }
        return out;
    }

    /** The byte-level string of {@code bytes}: one stand-in character per byte. */
    static String toByteChars(byte[] bytes) {
        char[] cs = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            cs[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(cs);
    }

    /** Bytes of a byte-level string; throws when a character is not a stand-in. */
    static byte[] fromByteChars(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("not a byte-level token: " + s);
            }
            out[i] = (byte) b;
        }
        return out;
    }
}
