package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.core.ChangeOp;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceChange;
import io.freshet.core.SourceDocument;
import io.freshet.core.chunk.RecursiveChunker;
import io.freshet.core.chunk.WhitespaceTokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Change classification and embedding reuse, with a deterministic embedder that counts what it is asked. */
class IncrementalEmbedderTest {

    /** Embeds a text as a hash-seeded vector; counts the texts it embedded. */
    static final class CountingEmbedder implements Embedder {
        final AtomicInteger texts = new AtomicInteger();

        @Override
        public List<float[]> embed(List<String> inputs) {
            texts.addAndGet(inputs.size());
            List<float[]> out = new ArrayList<>();
            for (String s : inputs) {
                Random r = new Random(s.hashCode());
                float[] v = new float[8];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextFloat();
                }
                out.add(v);
            }
            return out;
        }

        @Override
        public int dimension() {
            return 8;
        }

        @Override
        public String modelId() {
            return "counting";
        }
    }

    private final CountingEmbedder embedder = new CountingEmbedder();
    private final IncrementalEmbedder incremental = new IncrementalEmbedder(
            new RecursiveChunker(60, 0, new WhitespaceTokenCounter()), embedder);

    private static SourceChange upsert(String id, String body, List<String> acl, long time, long snapshotStart) {
        return new SourceChange(snapshotStart > 0 ? ChangeOp.SNAPSHOT : ChangeOp.UPDATE, id,
                new SourceDocument(id, "Handbook", body, acl, "acme", time), "src", "p" + time, time, snapshotStart);
    }

    private static String paragraphs(Random r, int n) {
        List<String> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder p = new StringBuilder("Paragraph " + i + ":");
            for (int w = 0; w < 45; w++) {
                p.append(' ').append(Integer.toString(r.nextInt(1_000_000), 36));
            }
            ps.add(p.append('.').toString());
        }
        return String.join("\n\n", ps);
    }

    @Test
    void eachClassPaysOnlyForWhatChanged() {
        Random r = new Random(1);
        String body = paragraphs(r, 20);
        IncrementalEmbedder.Outcome created = incremental.apply(upsert("d1", body, List.of("group:eng"), 1, 0), null);
        assertThat(created.kind()).isEqualTo(IncrementalEmbedder.Kind.CONTENT);
        assertThat(created.action().chunks()).hasSize(20);
        assertThat(embedder.texts.get()).isEqualTo(20);
        DocumentState state = DocumentState.fromBytes(created.state().toBytes()); // as keyed state keeps it

        // only updated_at touched: nothing to index, nothing embedded
        IncrementalEmbedder.Outcome noop = incremental.apply(upsert("d1", body, List.of("group:eng"), 2, 0), state);
        assertThat(noop.kind()).isEqualTo(IncrementalEmbedder.Kind.NO_OP);
        assertThat(noop.action()).isNull();
        // ...unless a snapshot read it: then the same chunks are re-indexed to mark it seen
        IncrementalEmbedder.Outcome seen = incremental.apply(upsert("d1", body, List.of("group:eng"), 2, 99), state);
        assertThat(seen.action().chunks()).hasSize(20);
        assertThat(seen.action().snapshotStartMillis()).isEqualTo(99);

        // ACL only: the same chunks and vectors with the new permissions, no chunking or embedding
        IncrementalEmbedder.Outcome acl = incremental.apply(upsert("d1", body, List.of("group:hr"), 3, 0), state);
        assertThat(acl.kind()).isEqualTo(IncrementalEmbedder.Kind.ACL_ONLY);
        assertThat(acl.action().document().acl()).containsExactly("group:hr");
        for (int i = 0; i < 20; i++) {
            assertThat(acl.action().chunks().get(i).vector()).isEqualTo(created.action().chunks().get(i).vector());
            assertThat(acl.action().chunks().get(i).chunk()).isEqualTo(created.action().chunks().get(i).chunk());
        }
        assertThat(embedder.texts.get()).as("nothing embedded since the create").isEqualTo(20);

        // one paragraph edited: one chunk embedded, 19 reused
        String edited = body.replace("Paragraph 7:", "Paragraph 7 (revised):");
        IncrementalEmbedder.Outcome content = incremental.apply(upsert("d1", edited, List.of("group:hr"), 4, 0), acl.state());
        assertThat(content.kind()).isEqualTo(IncrementalEmbedder.Kind.CONTENT);
        assertThat(content.embedded()).isEqualTo(1);
        assertThat(content.reused()).isEqualTo(19);
        assertThat(embedder.texts.get()).isEqualTo(21);

        IncrementalEmbedder.Outcome delete = incremental.apply(new SourceChange(ChangeOp.DELETE, "d1", null, "src", "p5", 5), content.state());
        assertThat(delete.kind()).isEqualTo(IncrementalEmbedder.Kind.DELETE);
        assertThat(delete.state()).isNull();
        assertThat(delete.action().isDelete()).isTrue();
    }

    @Test
    void randomLocalEditsEmbedOnlyTheChunksTheyTouch() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        int edits = 200;
        int chunksPerDoc = 0;
        int embedded = 0;
        for (int doc = 0; doc < 10; doc++) {
            String body = paragraphs(r, 20);
            IncrementalEmbedder.Outcome o = incremental.apply(upsert("d" + doc, body, List.of("group:eng"), 1, 0), null);
            chunksPerDoc = o.action().chunks().size();
            DocumentState state = o.state();
            for (int e = 0; e < edits / 10; e++) {
                String[] ps = body.split("\n\n");
                int p = r.nextInt(ps.length);
                String[] words = ps[p].split(" ");
                words[1 + r.nextInt(words.length - 1)] = "edit" + e; // change one word of one paragraph
                ps[p] = String.join(" ", words);
                body = String.join("\n\n", ps);
                IncrementalEmbedder.Outcome next = incremental.apply(upsert("d" + doc, body, List.of("group:eng"), 2 + e, 0), state);
                embedded += next.embedded();
                state = next.state();
            }
        }
        double perEdit = embedded / (double) edits;
        System.out.printf("incremental embedding (seed %d): %d random one-word edits of %d-chunk documents embedded %.2f "
                + "chunks per edit; %.1f%% of the embedding work of re-embedding whole documents saved%n",
                seed, edits, chunksPerDoc, perEdit, 100 * (1 - perEdit / chunksPerDoc));
        assertThat(chunksPerDoc).isEqualTo(20);
        assertThat(perEdit).as("seed %d", seed).isLessThanOrEqualTo(1.0);
    }

    @Test
    void stateSurvivesItsBinaryFormAndRefusesAnUnknownVersion() {
        IncrementalEmbedder.Outcome o = incremental.apply(upsert("d1", paragraphs(new Random(2), 3), List.of("group:eng"), 1, 0), null);
        DocumentState back = DocumentState.fromBytes(o.state().toBytes());
        assertThat(back.model()).isEqualTo("counting");
        assertThat(back.contentKey()).isEqualTo(o.state().contentKey());
        assertThat(back.chunks()).hasSize(3);
        assertThat(back.chunks().get(1).vector()).isEqualTo(o.state().chunks().get(1).vector());
        byte[] bytes = o.state().toBytes();
        bytes[0] = 9;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DocumentState.fromBytes(bytes))
                .hasMessageContaining("version 9");
    }
}
