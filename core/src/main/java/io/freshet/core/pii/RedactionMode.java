package io.freshet.core.pii;

import java.util.Locale;

/** What happens to personal data found in a document. */
public enum RedactionMode {
    /** Nothing: the text is indexed as it is. */
    OFF,
    /** Each value is replaced by its typed placeholder ({@code [EMAIL]}). */
    REDACT,
    /** Each value's letters and digits become {@code *}, keeping separators and, for numbers, the last four digits. */
    MASK,
    /** A document holding any is not indexed (and removed if an earlier version was). */
    DROP;

    /**
     * Parses a configuration name, naming the bad value. {@code false} is {@link #OFF}: YAML 1.1 reads an unquoted
     * {@code off} as the boolean false.
     */
    public static RedactionMode of(String name) {
        if (name.trim().equalsIgnoreCase("false")) {
            return OFF;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown redaction mode '" + name + "' (off, redact, mask, drop)");
        }
    }
}
