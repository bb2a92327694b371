package io.freshet.core.pii;

import io.freshet.core.SourceDocument;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which personal data is redacted how, per source. A document's title, body and metadata values are
 * redacted; its id, ACL and tenant are identities the index needs and are left alone. A redacted document
 * records the types it lost in its metadata under {@value #REDACTED_KEY}, which travels with every chunk.
 */
public final class PiiPolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Metadata key listing the PII types redacted from a document, e.g. {@code email,phone}. */
    public static final String REDACTED_KEY = "freshet.redacted";

    /** No redaction anywhere. */
    public static final PiiPolicy OFF = new PiiPolicy(RedactionMode.OFF, EnumSet.allOf(PiiType.class), Map.of());

    private final RedactionMode defaultMode;
    private final EnumSet<PiiType> types;
    private final Map<String, RedactionMode> perSource;
    private transient PiiDetector detector;

    /**
     * @param defaultMode the mode of a source without its own
     * @param types the types looked for
     * @param perSource modes by source: a change's source ({@code freshet.public.documents}, a Kafka topic)
     *     matches a key equal to it or ending it after a dot ({@code public.documents})
     */
    public PiiPolicy(RedactionMode defaultMode, Set<PiiType> types, Map<String, RedactionMode> perSource) {
        this.defaultMode = Objects.requireNonNull(defaultMode, "defaultMode");
        this.types = types.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(types);
        this.perSource = Map.copyOf(perSource);
    }

    /** What redacting one document did. */
    public record Result(SourceDocument document, Map<PiiType, Integer> counts, boolean dropped) {
        /** True when nothing was found. */
        public boolean clean() {
            return counts.isEmpty();
        }
    }

    /** The mode for changes from {@code source}. */
    public RedactionMode mode(String source) {
        RedactionMode m = perSource.get(source);
        if (m != null) {
            return m;
        }
        String best = null; // the longest key that ends the source wins, whatever the map's order
        for (String key : perSource.keySet()) {
            if (source.endsWith("." + key) && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best != null ? perSource.get(best) : defaultMode;
    }

    /** True when some source is redacted. */
    public boolean enabled() {
        return !types.isEmpty() && (defaultMode != RedactionMode.OFF
                || perSource.values().stream().anyMatch(m -> m != RedactionMode.OFF));
    }

    /**
     * Metadata the dedup step writes: a kind, a similarity, a body hash and a document id, none of them the
     * document's text, so never redacted (a hash or id that looks like a card or phone number would otherwise
     * merge unrelated groups, or drop the copy).
     */
    private static final java.util.Set<String> DEDUP_KEYS = java.util.Set.of("freshet.duplicate",
            "freshet.duplicate-similarity", "freshet.duplicate-group", "freshet.linked-to");

    /** Redacts {@code doc}, read from {@code source}, as that source's mode says. */
    public Result apply(SourceDocument doc, String source) {
        RedactionMode mode = mode(source);
        if (mode == RedactionMode.OFF || types.isEmpty()) {
            return new Result(doc, Map.of(), false);
        }
        Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
        String title = redact(doc.title(), mode, counts);
        String body = redact(doc.body(), mode, counts);
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : doc.metadata().entrySet()) {
            metadata.put(e.getKey(), DEDUP_KEYS.contains(e.getKey()) ? e.getValue() : redact(e.getValue(), mode, counts));
        }
        if (counts.isEmpty()) {
            return new Result(doc, Map.of(), false);
        }
        if (mode == RedactionMode.DROP) {
            return new Result(null, counts, true);
        }
        metadata.put(REDACTED_KEY, counts.keySet().stream().map(PiiType::configName).collect(Collectors.joining(",")));
        return new Result(new SourceDocument(doc.id(), title, body, doc.acl(), doc.tenant(), doc.updatedAtMillis(),
                metadata), counts, false);
    }

    /**
     * {@code text} with every value replaced by its placeholder when redaction is on anywhere, for what leaves
     * the pipeline outside the index (dead letters, log lines); {@code text} itself otherwise.
     */
    public String scrub(String text) {
        if (!enabled() || text == null || text.isEmpty()) {
            return text;
        }
        // raw JSON: an escape such as \n before a value would hide it from the detectors' word boundaries, so
        // look at the text with escapes blanked (same length, same offsets) and redact the original
        String probe = JSON_ESCAPE.matcher(text).replaceAll(m -> " ".repeat(m.group().length()));
        return replace(text, detector().find(probe), RedactionMode.REDACT, new EnumMap<>(PiiType.class));
    }

    private static final java.util.regex.Pattern JSON_ESCAPE = java.util.regex.Pattern.compile("\\\\(?:u[0-9A-Fa-f]{4}|[^u])");

    private String redact(String text, RedactionMode mode, Map<PiiType, Integer> counts) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return replace(text, detector().find(text), mode, counts);
    }

    private static String replace(String text, List<PiiMatch> matches, RedactionMode mode, Map<PiiType, Integer> counts) {
        if (matches.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (PiiMatch m : matches) {
            counts.merge(m.type(), 1, Integer::sum);
            out.append(text, at, m.start());
            String value = text.substring(m.start(), m.end());
            out.append(mode == RedactionMode.MASK ? mask(m.type(), value) : m.type().placeholder());
            at = m.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** Letters and digits become {@code *}; numbers keep their last four digits. */
    static String mask(PiiType type, String value) {
        boolean keepLast4 = type == PiiType.CARD || type == PiiType.IBAN || type == PiiType.PHONE || type == PiiType.SSN;
        int kept = 0;
        char[] c = value.toCharArray();
        for (int i = c.length - 1; i >= 0; i--) {
            if (Character.isLetterOrDigit(c[i])) {
                if (keepLast4 && Character.isDigit(c[i]) && kept < 4) {
                    kept++;
                } else {
                    c[i] = '*';
                }
            }
        }
        return new String(c);
    }

    private PiiDetector detector() {
        PiiDetector d = detector;
        if (d == null) {
            d = new PiiDetector(types);
            detector = d;
        }
        return d;
    }

    @Override
    public String toString() {
        return "PiiPolicy[mode=" + defaultMode.name().toLowerCase() + ", types=" + types + ", per-source="
                + new TreeMap<>(perSource) + "]";
    }
}
