package io.freshet.core;

/**
 * A contiguous piece of a document's body, the unit Freshet embeds and indexes.
 *
 * @param ordinal position of the chunk in its document, from 0
 * @param text the chunk's text: exactly {@code body.substring(startOffset, endOffset)}
 * @param startOffset first character of the chunk in the source body (inclusive), for citations
 * @param endOffset end of the chunk in the source body (exclusive)
 * @param section where in the document the chunk sits, for a chunker that knows (the heading path of a
 *     markdown document, {@code "Install > Linux"}); empty otherwise
 */
public record Chunk(int ordinal, String text, int startOffset, int endOffset, String section) {

    /** A chunk outside any section. */
    public Chunk(int ordinal, String text, int startOffset, int endOffset) {
        this(ordinal, text, startOffset, endOffset, "");
    }

    public Chunk {
        section = section == null ? "" : section;
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must be >= 0; got " + ordinal);
        }
        if (text == null) {
            throw new IllegalArgumentException("chunk text must not be null");
        }
        if (startOffset < 0 || endOffset < startOffset) {
            throw new IllegalArgumentException(
                    "chunk offsets must satisfy 0 <= start <= end; got [" + startOffset + ", " + endOffset + ")");
        }
        if (endOffset - startOffset != text.length()) {
            throw new IllegalArgumentException("chunk offsets [" + startOffset + ", " + endOffset
                    + ") do not span its " + text.length() + " characters");
        }
    }
}
