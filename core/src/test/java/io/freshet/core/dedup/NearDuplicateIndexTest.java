package io.freshet.core.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Near-duplicate detection on a generated set with known near duplicates: base documents, copies edited at
 * rates spread from 0 to 25% of their words (replacements, insertions, deletions) and unrelated documents on the same
 * vocabulary. The truth is the exact Jaccard similarity of the shingle sets; the detector's precision and
 * recall at the threshold are printed for BENCHMARKS.md.
 */
class NearDuplicateIndexTest {

    private static final int SHINGLE = 3;
    private static final double THRESHOLD = 0.8;

    @Test
    void precisionAndRecallAgainstExactJaccardOnAGeneratedSet() {
        String pinned = System.getenv("FRESHET_TEST_SEED");
        long seed = pinned != null ? Long.parseLong(pinned) : new Random().nextLong();
        Random random = new Random(seed);
        MinHash minHash = new MinHash(128, SHINGLE);
        NearDuplicateIndex index = new NearDuplicateIndex(128, THRESHOLD);
        List<List<String>> bases = new ArrayList<>();
        List<Set<String>> baseShingles = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            List<String> words = words(random, 60 + random.nextInt(240));
            bases.add(words);
            baseShingles.add(shingles(words));
            index.put("b" + i, minHash.signature(String.join(" ", words)));
        }
        int tp = 0;
        int fp = 0;
        int positives = 0;
        for (int q = 0; q < 800; q++) {
            List<String> query;
            if (q % 4 == 3) {
                query = words(random, 60 + random.nextInt(240)); // unrelated
            } else {
                // edit rates spread evenly over 0-25%, so every seed has about as many pairs near the threshold
                query = edit(bases.get(random.nextInt(bases.size())), (q % 20) * 0.0125 + random.nextDouble() * 0.0125, random);
            }
            Set<String> shingles = shingles(query);
            boolean truth = false;
            for (Set<String> b : baseShingles) {
                truth |= jaccard(shingles, b) >= THRESHOLD;
            }
            positives += truth ? 1 : 0;
            Optional<NearDuplicateIndex.Match> m = index.best("q" + q, minHash.signature(String.join(" ", query)), id -> true);
            if (m.isPresent()) {
                boolean right = jaccard(shingles, baseShingles.get(Integer.parseInt(m.get().id().substring(1)))) >= THRESHOLD;
                tp += right ? 1 : 0;
                fp += right ? 0 : 1;
            }
        }
        double precision = tp + fp == 0 ? 1 : tp / (double) (tp + fp);
        double recall = positives == 0 ? 1 : tp / (double) positives;
        System.out.printf("near-duplicates (seed %d): 800 queries against 400 documents, %d true near duplicates "
                + "(exact shingle Jaccard >= %.2f), 128-value MinHash, LSH %d rows per band: precision %.3f, recall %.3f%n",
                seed, positives, THRESHOLD, index.rows(), precision, recall);
        assertThat(positives).as("seed %d", seed).isGreaterThan(50);
        assertThat(precision).as("seed %d", seed).isGreaterThanOrEqualTo(0.8);
        assertThat(recall).as("seed %d", seed).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void removedSignaturesAreNotFoundAndBadSettingsNameTheKey() {
        MinHash minHash = new MinHash(128, SHINGLE);
        NearDuplicateIndex index = new NearDuplicateIndex(128, 0.8);
        int[] sig = minHash.signature("The quick brown fox jumps over the lazy dog near the river bank today.");
        index.put("a", sig);
        assertThat(index.best("b", sig, id -> true)).hasValueSatisfying(m -> assertThat(m.similarity()).isEqualTo(1.0));
        assertThat(index.best("a", sig, id -> true)).as("never itself").isEmpty();
        index.remove("a");
        assertThat(index.best("b", sig, id -> true)).isEmpty();
        assertThat(MinHash.words("Hello, WORLD!  Ünïcode\tfine")).containsExactly("hello", "world", "ünïcode", "fine");
        assertThatThrownBy(() -> new NearDuplicateIndex(128, 1.5)).hasMessageContaining("dedup.near-threshold");
        assertThatThrownBy(() -> new MinHash(128, 0)).hasMessageContaining("dedup.shingle-words");
    }

    private static List<String> words(Random random, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add("w" + random.nextInt(3000));
        }
        return out;
    }

    private static List<String> edit(List<String> base, double rate, Random random) {
        List<String> out = new ArrayList<>(base);
        int edits = (int) Math.round(base.size() * rate);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(out.size());
            switch (random.nextInt(3)) {
                case 0 -> out.set(at, "x" + random.nextInt(3000));
                case 1 -> out.add(at, "x" + random.nextInt(3000));
                default -> {
                    if (out.size() > 10) {
                        out.remove(at);
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> shingles(List<String> words) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i + SHINGLE <= words.size(); i++) {
            out.add(String.join(" ", words.subList(i, i + SHINGLE)));
        }
        return out;
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        int inter = 0;
        for (String s : a) {
            if (b.contains(s)) {
                inter++;
            }
        }
        return inter / (double) (a.size() + b.size() - inter);
    }
}
