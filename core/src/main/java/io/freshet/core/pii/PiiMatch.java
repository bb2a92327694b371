package io.freshet.core.pii;

/**
 * One value found in a text.
 *
 * @param type what it is
 * @param start its first character
 * @param end one past its last character
 */
public record PiiMatch(PiiType type, int start, int end) {
    public PiiMatch {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }
}
