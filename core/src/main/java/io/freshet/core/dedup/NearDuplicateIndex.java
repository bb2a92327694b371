package io.freshet.core.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds, among the signatures it holds, the most similar one to a query signature at or above a threshold:
 * locality-sensitive hashing in {@code bands} bands of {@code rows} values proposes candidates (two signatures
 * that agree on all rows of some band), and the estimated similarity of each candidate decides. The band shape
 * is picked so that pairs at the threshold are proposed with probability above 0.99.
 */
public final class NearDuplicateIndex {

    /** A match: the id held and its estimated similarity. */
    public record Match(String id, double similarity) {}

    private final double threshold;
    private final int rows;
    private final int bands;
    private final Map<String, int[]> signatures = new HashMap<>();
    private final Map<Long, Set<String>> buckets = new HashMap<>();

    /**
     * @param signatureSize the length of the signatures held
     * @param threshold the least estimated Jaccard similarity of a match, in (0, 1]
     */
    public NearDuplicateIndex(int signatureSize, double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("dedup.near-threshold must be in (0, 1]; got " + threshold);
        }
        this.threshold = threshold;
        int best = 1;
        for (int r = 1; r <= signatureSize; r++) {
            if (signatureSize % r != 0) {
                continue;
            }
            int b = signatureSize / r;
            double proposed = 1 - Math.pow(1 - Math.pow(threshold, r), b); // P(candidate) at the threshold
            if (proposed >= 0.99) {
                best = r; // more rows per band: fewer false candidates
            }
        }
        this.rows = best;
        this.bands = signatureSize / best;
    }

    /** Rows per band (for reports). */
    public int rows() {
        return rows;
    }

    /** Adds or replaces {@code id}'s signature. */
    public void put(String id, int[] signature) {
        remove(id);
        signatures.put(id, signature.clone());
        for (long key : bandKeys(signature)) {
            buckets.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(id);
        }
    }

    /** Removes {@code id}, if held. */
    public void remove(String id) {
        int[] old = signatures.remove(id);
        if (old == null) {
            return;
        }
        for (long key : bandKeys(old)) {
            Set<String> ids = buckets.get(key);
            if (ids != null) {
                ids.remove(id);
                if (ids.isEmpty()) {
                    buckets.remove(key);
                }
            }
        }
    }

    /** The most similar held id other than {@code self} that {@code accept}s, at or above the threshold. */
    public Optional<Match> best(String self, int[] signature, Predicate<String> accept) {
        Match best = null;
        Set<String> seen = new java.util.HashSet<>();
        for (long key : bandKeys(signature)) {
            for (String id : buckets.getOrDefault(key, Set.of())) {
                if (id.equals(self) || !seen.add(id) || !accept.test(id)) {
                    continue;
                }
                double s = MinHash.similarity(signature, signatures.get(id));
                if (s >= threshold && (best == null || s > best.similarity()
                        || s == best.similarity() && id.compareTo(best.id()) < 0)) {
                    best = new Match(id, s);
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Signatures held. */
    public int size() {
        return signatures.size();
    }

    private List<Long> bandKeys(int[] signature) {
        List<Long> keys = new ArrayList<>(bands);
        for (int b = 0; b < bands; b++) {
            long h = b * 0x9E3779B97F4A7C15L;
            for (int r = 0; r < rows; r++) {
                h = MinHash.mix(h ^ signature[b * rows + r]);
            }
            keys.add(h);
        }
        return keys;
    }
}
