package io.freshet.core.chunk;

import io.freshet.core.Chunk;
import io.freshet.core.Chunker;
import io.freshet.core.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heading-aware chunking for markdown: the body is cut into sections at ATX headings ({@code #} to
 * {@code ######}, outside fenced code blocks), no chunk spans two sections, and each chunk carries its section's
 * heading path ({@code "Install > Linux"}) as {@link Chunk#section()}. Within a section, chunks are packed as
 * by {@link RecursiveChunker} (paragraphs first, to a token bound, with overlap), so an edit in one section
 * leaves every other section's chunks as they were.
 */
public final class MarkdownChunker implements Chunker {

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})[ \\t]+([^\\n]*)$", Pattern.MULTILINE);
    /** Longest heading kept in a path; longer ones are cut (a path is metadata, stored and filtered on). */
    static final int MAX_HEADING_CHARS = 200;
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)", Pattern.MULTILINE);

    private final RecursiveChunker within;
    private final int maxTokens;
    private final int overlapTokens;

    /** Bounds as for {@link RecursiveChunker#RecursiveChunker}. */
    public MarkdownChunker(int maxTokens, int overlapTokens, TokenCounter counter) {
        this.within = new RecursiveChunker(maxTokens, overlapTokens, counter);
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
    }

    /** A heading: where its line starts, its level and text. */
    record Heading(int start, int level, String text) {}

    @Override
    public List<Chunk> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<Heading> headings = headings(text);
        List<Chunk> out = new ArrayList<>();
        String[] path = new String[7];
        int sectionStart = 0;
        String section = "";
        for (Heading h : headings) {
            within.splitRange(text, sectionStart, h.start(), section, out);
            path[h.level()] = h.text();
            for (int l = h.level() + 1; l < path.length; l++) {
                path[l] = null;
            }
            section = join(path);
            sectionStart = h.start();
        }
        within.splitRange(text, sectionStart, text.length(), section, out);
        return out;
    }

    /** The ATX headings of {@code text} in order, skipping lines inside fenced code blocks. */
    static List<Heading> headings(String text) {
        List<int[]> fenced = new ArrayList<>();
        Matcher f = FENCE.matcher(text);
        while (f.find()) {
            int open = f.start();
            String marker = f.group(1);
            int close = -1;
            while (f.find()) {
                if (f.group(1).equals(marker)) {
                    close = f.end();
                    break;
                }
            }
            fenced.add(new int[] {open, close < 0 ? text.length() : close});
            if (close < 0) {
                break;
            }
        }
        List<Heading> out = new ArrayList<>();
        Matcher m = HEADING.matcher(text);
        while (m.find()) {
            int at = m.start();
            String title = headingText(m.group(2));
            if (fenced.stream().noneMatch(r -> at >= r[0] && at < r[1]) && !title.isEmpty()) {
                out.add(new Heading(at, m.group(1).length(), title));
            }
        }
        return out;
    }

    /** A heading's text: without a closing run of {@code #} (after a space) and surrounding blanks, cut if long. */
    static String headingText(String raw) {
        String t = raw.strip();
        int end = t.length();
        while (end > 0 && t.charAt(end - 1) == '#') {
            end--;
        }
        if (end == 0 || end < t.length() && Character.isWhitespace(t.charAt(end - 1))) {
            t = t.substring(0, end).strip(); // "## macOS ##" -> "macOS"; "# C#" keeps its '#'
        }
        return t.length() > MAX_HEADING_CHARS ? t.substring(0, MAX_HEADING_CHARS) : t;
    }

    private static String join(String[] path) {
        StringBuilder b = new StringBuilder();
        for (String p : path) {
            if (p != null) {
                b.append(b.isEmpty() ? "" : " > ").append(p);
            }
        }
        return b.toString();
    }

    @Override
    public String describe() {
        return "markdown(max-tokens=" + maxTokens + ",overlap-tokens=" + overlapTokens + ")";
    }
}
