package io.outpaint.request;

/** What free text may hold: no control characters but tab and newline, and no half of a surrogate pair. */
public final class TextRules {

    public static final String ALLOWED = "no control characters other than tab and newline, and well-formed Unicode";

    /** How many characters of a client's value an error echoes (ids, paths, header values). */
    public static final int MAX_ECHOED = 64;

    private TextRules() {}

    /**
     * A client's value as an error may echo it: at most {@link #MAX_ECHOED} characters and an ellipsis,
     * control characters, invisible format characters (bidirectional controls among them) and
     * halves of surrogate pairs escaped as {@code \\uXXXX}.
     */
    public static String echoed(String value) {
        String cut = value.length() > MAX_ECHOED ? value.substring(0, MAX_ECHOED) + "\u2026" : value;
        StringBuilder out = new StringBuilder(cut.length());
        cut.chars().forEach(c -> out.append(Character.isISOControl(c) || Character.isSurrogate((char) c)
                || Character.getType(c) == Character.FORMAT ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    /**
     * Whether the text has a character that shows: not only white space, control and format
     * characters (a byte-order mark, zero-width spaces and joiners, bidirectional marks), variation
     * selectors, the combining grapheme joiner and the blank letters that render as nothing
     * (Hangul fillers, the braille blank).
     */
    public static boolean hasVisible(String text) {
        return text.codePoints().anyMatch(c -> !invisible(c));
    }

    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || type == Character.FORMAT || type == Character.CONTROL
                || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef) || c == 0x034f
                || c == 0x115f || c == 0x1160 || c == 0x3164 || c == 0xffa0 || c == 0x2800;
    }

    public static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
