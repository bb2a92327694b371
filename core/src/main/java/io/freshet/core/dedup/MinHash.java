package io.freshet.core.dedup;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MinHash signatures over word shingles, to estimate the Jaccard similarity of two texts' shingle sets: text is
 * normalised (NFKC, lower case, letters and digits only), cut into overlapping runs of {@code shingleWords}
 * words, and each of {@code size} seeded hash functions keeps its minimum over the shingles. The share of equal
 * positions in two signatures estimates their Jaccard similarity (standard error about 1/sqrt(size)).
 */
public final class MinHash {

    private final int size;
    private final int shingleWords;
    private final long[] seeds;

    /**
     * @param size hash functions (signature length), in [16, 1024]
     * @param shingleWords words per shingle, in [1, 10]
     */
    public MinHash(int size, int shingleWords) {
        if (size < 16 || size > 1024) {
            throw new IllegalArgumentException("minhash size must be in [16, 1024]; got " + size);
        }
        if (shingleWords < 1 || shingleWords > 10) {
            throw new IllegalArgumentException("dedup.shingle-words must be in [1, 10]; got " + shingleWords);
        }
        this.size = size;
        this.shingleWords = shingleWords;
        this.seeds = new long[size];
        long s = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < size; i++) {
            s = mix(s + 0x9E3779B97F4A7C15L);
            seeds[i] = s;
        }
    }

    /** Signature length. */
    public int size() {
        return size;
    }

    /** The signature of {@code text}; a text without words has the signature of the empty shingle. */
    public int[] signature(String text) {
        List<String> words = words(text);
        int[] sig = new int[size];
        java.util.Arrays.fill(sig, Integer.MAX_VALUE);
        int shingles = Math.max(1, words.size() - shingleWords + 1);
        for (int s = 0; s < shingles; s++) {
            long h = 0xcbf29ce484222325L; // FNV-1a over the shingle's words
            for (int w = s; w < Math.min(words.size(), s + shingleWords); w++) {
                String word = words.get(w);
                for (int c = 0; c < word.length(); c++) {
                    h = (h ^ word.charAt(c)) * 0x100000001b3L;
                }
                h = (h ^ ' ') * 0x100000001b3L;
            }
            for (int i = 0; i < size; i++) {
                int v = (int) (mix(h ^ seeds[i]) >>> 33);
                if (v < sig[i]) {
                    sig[i] = v;
                }
            }
        }
        return sig;
    }

    /** Estimated Jaccard similarity of two signatures of this size. */
    public static double similarity(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("signatures of " + a.length + " and " + b.length + " values");
        }
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return same / (double) a.length;
    }

    /** The normalised words of {@code text}: NFKC, lower case, runs of letters and digits. */
    public static List<String> words(String text) {
        String n = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= n.length(); i++) {
            boolean word = i < n.length() && Character.isLetterOrDigit(n.charAt(i));
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                out.add(n.substring(start, i));
                start = -1;
            }
        }
        return out;
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
