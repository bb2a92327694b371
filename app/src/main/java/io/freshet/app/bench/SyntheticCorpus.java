package io.freshet.app.bench;

import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.IndexAction;
import io.freshet.core.Principal;
import io.freshet.core.SourceDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded synthetic chunk corpus for serving benchmarks: clustered unit vectors (so that kNN has
 * structure to find), text whose topical words follow the clusters (so BM25 and kNN partly agree), and
 * ACLs that give principals of known selectivity: a chunk carries {@code group:s1} with probability 1%,
 * {@code group:s10} with 10% and {@code group:s50} with 50%, independently.
 */
public final class SyntheticCorpus {

    /** Tenant of every synthetic chunk. */
    public static final String TENANT = "bench";
    /** Selectivities (percent of chunks a principal may see) the corpus supports. */
    public static final int[] SELECTIVITIES = {1, 10, 50};

    /** Update time of chunk 0; chunk i was updated {@code i * UPDATE_STEP_MILLIS} later (time-range filters). */
    public static final long FIRST_UPDATE_MILLIS = 1_700_000_000_000L;
    public static final long UPDATE_STEP_MILLIS = 1000L;

    private static final int WORDS_PER_CHUNK = 48;
    private static final int TOPIC_WORDS = 40;
    private static final int GENERAL_WORDS = 20_000;

    private final int dimension;
    private final float[][] centroids;
    private final long seed;

    public SyntheticCorpus(long seed, int dimension, int clusters) {
        this.seed = seed;
        this.dimension = dimension;
        SplittableRandom r = new SplittableRandom(seed);
        centroids = new float[clusters][];
        for (int c = 0; c < clusters; c++) {
            centroids[c] = normalize(gaussian(r, dimension, 1.0));
        }
    }

    /** The principal that may see {@code selectivity} percent of the chunks. */
    public static Principal principal(int selectivity) {
        return new Principal("bench-" + selectivity, Set.of("s" + selectivity), TENANT);
    }

    /** Chunk {@code i}: deterministic for the corpus seed. */
    public IndexAction chunk(int i) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
        int cluster = r.nextInt(centroids.length);
        float[] v = near(centroids[cluster], r);
        String text = text(cluster, r, WORDS_PER_CHUNK);
        List<String> acl = new ArrayList<>(3);
        for (int s : SELECTIVITIES) {
            if (r.nextInt(100) < s) {
                acl.add("group:s" + s);
            }
        }
        if (acl.isEmpty()) {
            acl.add("group:nobody"); // a document must grant someone
        }
        String id = "d" + i;
        long updated = FIRST_UPDATE_MILLIS + i * UPDATE_STEP_MILLIS;
        SourceDocument doc = new SourceDocument(id, "Document " + i + " " + topicWord(cluster, r), text, acl, TENANT,
                updated, Map.of("cluster", Integer.toString(cluster % 100)));
        return new IndexAction(id, doc, List.of(new EmbeddedChunk(new Chunk(0, text, 0, text.length()), v)),
                "bench.synthetic", "0/" + Integer.toHexString(i), updated, "synthetic-384");
    }

    /** Query {@code q}: its text and vector (near one cluster, not a copy of any chunk). */
    public Query query(int q) {
        SplittableRandom r = new SplittableRandom(~seed * 7_919L + q);
        int cluster = r.nextInt(centroids.length);
        String text = "q" + q + " " + topicWord(cluster, r) + " " + topicWord(cluster, r) + " " + generalWord(r);
        return new Query(text, near(centroids[cluster], r));
    }

    /** A benchmark query. */
    public record Query(String text, float[] vector) {}

    private float[] near(float[] centroid, SplittableRandom r) {
        float[] noise = gaussian(r, dimension, 0.6 / Math.sqrt(dimension));
        for (int d = 0; d < dimension; d++) {
            noise[d] += centroid[d];
        }
        return normalize(noise);
    }

    private static String text(int cluster, SplittableRandom r, int words) {
        StringBuilder b = new StringBuilder(words * 8);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                b.append(' ');
            }
            b.append(r.nextInt(10) < 3 ? topicWord(cluster, r) : generalWord(r));
        }
        return b.toString();
    }

    private static String topicWord(int cluster, SplittableRandom r) {
        return "t" + cluster + "x" + r.nextInt(TOPIC_WORDS);
    }

    private static String generalWord(SplittableRandom r) {
        // Zipf-like: squaring a uniform draw favours small ids
        double u = r.nextDouble();
        return "w" + (int) (u * u * GENERAL_WORDS);
    }

    private static float[] gaussian(SplittableRandom r, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller
            double u1 = Math.max(r.nextDouble(), 1e-12);
            double u2 = r.nextDouble();
            v[i] = (float) (sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }

    private static float[] normalize(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
