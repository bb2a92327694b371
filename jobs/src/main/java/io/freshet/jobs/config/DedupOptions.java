package io.freshet.jobs.config;

import io.freshet.jobs.ingest.DedupFunction;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Duplicate documents across ids: exact (normalised body) and near (MinHash over word shingles). */
public final class DedupOptions {
    private DedupOptions() {}

    public static final ConfigOption<String> EXACT = ConfigOptions.key("dedup.exact")
            .stringType()
            .defaultValue("off")
            .withDescription("Exact duplicates (same body, ignoring case, punctuation and spacing) among documents of "
                    + "the same tenant and ACL: off; flag (indexed, marked freshet.duplicate=exact with a group hash); or "
                    + "link (also linked to the canonical: retrieval serves the canonical and its copies as one hit that "
                    + "lists the other document ids the caller may see).");

    public static final ConfigOption<String> NEAR = ConfigOptions.key("dedup.near")
            .stringType()
            .defaultValue("off")
            .withDescription("Near duplicates among documents of the same tenant and ACL: off; flag (indexed, marked "
                    + "freshet.duplicate=near with the estimated similarity); or skip (also "
                    + "linked to the canonical: retrieval does not serve the copy beside it, but lists its id in the "
                    + "canonical's hit; the copy is served again if the canonical goes).");

    public static final ConfigOption<Double> NEAR_THRESHOLD = ConfigOptions.key("dedup.near-threshold")
            .doubleType()
            .defaultValue(0.8)
            .withDescription("Least estimated Jaccard similarity of word shingles for a near duplicate, in (0, 1].");

    public static final ConfigOption<Integer> SHINGLE_WORDS = ConfigOptions.key("dedup.shingle-words")
            .intType()
            .defaultValue(3)
            .withDescription("Words per shingle for near-duplicate detection.");

    /** The dedup policy {@code config} sets; a bad value fails here, naming its key. */
    public static DedupFunction.Policy policy(ReadableConfig config) {
        return DedupFunction.Policy.of(config.get(EXACT), config.get(NEAR), config.get(NEAR_THRESHOLD),
                config.get(SHINGLE_WORDS));
    }
}
