package io.outpaint.request;

/** What free text may hold: no control characters but tab and newline, and no half of a surrogate pair. */
public final class TextRules {

    public static final String ALLOWED = "no control characters other than tab and newline, and well-formed Unicode";

    private TextRules() {}

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
