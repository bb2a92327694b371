package io.freshet.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.IndexAction;
import io.freshet.core.Principal;
import io.freshet.core.SourceDocument;
import io.freshet.index.search.ChunkHit;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.Fusion;
import io.freshet.index.search.RetrievalMode;
import io.freshet.index.search.SearchFilters;
import io.freshet.index.search.SearchRequest;
import io.freshet.index.write.ChunkIndexWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random worlds of tenants, users, groups and documents with allow and deny entries: for every query, in
 * every mode, with and without metadata filters, every hit must be visible to the caller by a brute-force
 * check written independently of the product's filter, and nothing visible may be missed when the caller
 * asks for more hits than exist. Set {@code -Dfreshet.test.seed=N} to replay a run; the seed is printed.
 */
class PermissionPropertyTest {

    private static final int WORLDS = 40;
    private static final int DIM = 8;

    @TempDir
    Path dir;

    record World(List<String> tenants, Map<String, Set<String>> groupsOf, List<SourceDocument> docs) {}

    @Test
    void everyHitIsVisibleToTheCallerAndNoneIsMissed() throws Exception {
        long seed = Long.getLong("freshet.test.seed", System.nanoTime());
        System.out.println("PermissionPropertyTest seed " + seed + " (replay with -Dfreshet.test.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        int checkedHits = 0;
        int violations = 0;
        for (int w = 0; w < WORLDS; w++) {
            World world = world(random);
            Path indexDir = Files.createDirectory(dir.resolve("w" + w));
            try (ChunkIndexWriter writer = new ChunkIndexWriter(indexDir, "m", "c");
                    ChunkSearcher searcher = new ChunkSearcher(indexDir)) {
                for (SourceDocument d : world.docs()) {
                    writer.apply(new IndexAction(d.id(), d, List.of(new EmbeddedChunk(
                            new Chunk(0, d.body(), 0, d.body().length()), vector(random))), "src", "p", 1, "m"));
                }
                writer.commit();
                searcher.refresh();
                for (String tenant : world.tenants()) {
                    for (var user : world.groupsOf().entrySet()) {
                        Principal p = new Principal(user.getKey(), user.getValue(), tenant);
                        Set<String> visible = new HashSet<>();
                        for (SourceDocument d : world.docs()) {
                            if (visible(d, p)) {
                                visible.add(d.id());
                            }
                        }
                        for (RetrievalMode mode : RetrievalMode.values()) {
                            SearchFilters filters = random.nextBoolean() ? SearchFilters.NONE
                                    : new SearchFilters(Set.of(), Map.of("color", Set.of(random.nextBoolean() ? "red" : "blue")),
                                            null, null);
                            List<ChunkHit> hits = searcher.search(new SearchRequest(p, "common word", vector(random),
                                    world.docs().size() + 5, mode, filters, Fusion.DEFAULT)).hits();
                            Set<String> expected = new HashSet<>();
                            for (SourceDocument d : world.docs()) {
                                if (visible.contains(d.id()) && (filters.isEmpty()
                                        || filters.attributes().get("color").contains(d.metadata().get("color")))) {
                                    expected.add(d.id());
                                }
                            }
                            for (ChunkHit h : hits) {
                                checkedHits++;
                                if (!expected.contains(h.documentId())) {
                                    violations++;
                                    System.out.println("VIOLATION seed " + seed + " world " + w + ": " + p + " got "
                                            + h.documentId() + " acl " + h.acl());
                                }
                            }
                            assertThat(hits.stream().map(ChunkHit::documentId).toList())
                                    .as("seed %d world %d %s %s: all visible documents found", seed, w, p, mode)
                                    .containsExactlyInAnyOrderElementsOf(expected);
                        }
                    }
                }
            }
        }
        System.out.println("PermissionPropertyTest: " + WORLDS + " worlds, " + checkedHits + " hits checked, "
                + violations + " violations");
        assertThat(violations).isZero();
        assertThat(checkedHits).isPositive();
    }

    /** The reference rule, independent of the product code: same tenant, an allow match, no deny match. */
    private static boolean visible(SourceDocument d, Principal p) {
        if (!d.tenant().equals(p.tenant())) {
            return false;
        }
        boolean allowed = false;
        for (String entry : d.acl()) {
            boolean deny = entry.startsWith("deny:");
            String e = deny ? entry.substring(5) : entry;
            boolean matches = e.equals("user:" + p.subject())
                    || (e.startsWith("group:") && p.groups().contains(e.substring(6)));
            if (matches && deny) {
                return false;
            }
            allowed |= matches;
        }
        return allowed;
    }

    private static World world(SplittableRandom r) {
        List<String> tenants = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            tenants.add("t" + i);
        }
        List<String> groups = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
            groups.add("g" + i);
        }
        Map<String, Set<String>> groupsOf = new HashMap<>();
        for (int i = 0, n = 2 + r.nextInt(6); i < n; i++) {
            Set<String> gs = new HashSet<>();
            for (String g : groups) {
                if (r.nextInt(3) == 0) {
                    gs.add(g);
                }
            }
            groupsOf.put("u" + i, gs);
        }
        List<String> users = new ArrayList<>(groupsOf.keySet());
        List<SourceDocument> docs = new ArrayList<>();
        for (int i = 0, n = 5 + r.nextInt(60); i < n; i++) {
            List<String> acl = new ArrayList<>();
            for (int e = 0, m = r.nextInt(4); e < m; e++) {
                String entry = r.nextBoolean() ? "user:" + users.get(r.nextInt(users.size()))
                        : "group:" + groups.get(r.nextInt(groups.size()));
                acl.add(r.nextInt(5) == 0 ? "deny:" + entry : entry);
            }
            // names that look alike but are not the caller's: a user named like a group, a prefix of a name
            if (r.nextInt(10) == 0) {
                acl.add("user:" + groups.get(r.nextInt(groups.size())));
            }
            if (r.nextInt(10) == 0) {
                acl.add("group:u");
            }
            docs.add(new SourceDocument("d" + i, "title " + i, "common word " + i, acl,
                    tenants.get(r.nextInt(tenants.size())), 1, Map.of("color", r.nextBoolean() ? "red" : "blue")));
        }
        return new World(tenants, groupsOf, docs);
    }

    private static float[] vector(SplittableRandom r) {
        float[] v = new float[DIM];
        double n = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
            n += v[i] * v[i];
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }
}
