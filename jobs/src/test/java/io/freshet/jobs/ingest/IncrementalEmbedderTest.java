package io.freshet.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshet.core.ChangeOp;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
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
            new RecursiveChunker(60, 0, new WhitespaceTokenCounter()), embedder, "v1");

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

        // only updated_at touched: nothing chunked or embedded; the stored chunks are re-indexed with the new
        // version, time and position (and a snapshot's read marks the document seen)
        IncrementalEmbedder.Outcome noop = incremental.apply(upsert("d1", body, List.of("group:eng"), 2, 0), state);
        assertThat(noop.kind()).isEqualTo(IncrementalEmbedder.Kind.NO_OP);
        assertThat(noop.action().chunks()).hasSize(20);
        assertThat(noop.action().document().updatedAtMillis()).isEqualTo(2);
        assertThat(noop.action().position()).isEqualTo("p2");
        IncrementalEmbedder.Outcome seen = incremental.apply(upsert("d1", body, List.of("group:eng"), 2, 99), state);
        assertThat(seen.action().snapshotStartMillis()).isEqualTo(99);
        assertThat(embedder.texts.get()).isEqualTo(20);

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

        // new weights under the same model id: nothing is reused
        IncrementalEmbedder newWeights = new IncrementalEmbedder(new RecursiveChunker(60, 0, new WhitespaceTokenCounter()),
                embedder, "v2");
        IncrementalEmbedder.Outcome reembedded = newWeights.apply(upsert("d1", edited, List.of("group:hr"), 5, 0), content.state());
        assertThat(reembedded.kind()).isEqualTo(IncrementalEmbedder.Kind.CONTENT);
        assertThat(reembedded.embedded()).isEqualTo(20);

        IncrementalEmbedder.Outcome delete = incremental.apply(new SourceChange(ChangeOp.DELETE, "d1", null, "src", "p5", 5), content.state());
        assertThat(delete.kind()).isEqualTo(IncrementalEmbedder.Kind.DELETE);
        assertThat(delete.state()).isNull();
        assertThat(delete.action().isDelete()).isTrue();
    }

    @Test
    void randomLocalEditsEmbedOnlyTheChunksTheyTouch() {
        // the default chunker (200 tokens, 32 overlap); paragraphs of 150-180 words, one chunk each; every edit
        // replaces, inserts or deletes a word of one paragraph, so token counts change too
        IncrementalEmbedder production = new IncrementalEmbedder(new RecursiveChunker(200, 32, new WhitespaceTokenCounter()),
                embedder, "v1");
        ChangeEmbedder full = new ChangeEmbedder(new RecursiveChunker(200, 32, new WhitespaceTokenCounter()), embedder);
        String pinned = System.getenv("FRESHET_TEST_SEED");
        long seed = pinned != null ? Long.parseLong(pinned) : new Random().nextLong();
        Random r = new Random(seed);
        int edits = 0;
        int chunks = 0;
        int embedded = 0;
        for (int doc = 0; doc < 10; doc++) {
            List<List<String>> ps = new ArrayList<>();
            for (int p = 0; p < 20; p++) {
                List<String> words = new ArrayList<>();
                int n = 150 + r.nextInt(31);
                for (int w = 0; w < n; w++) {
                    words.add(Integer.toString(r.nextInt(1_000_000), 36));
                }
                ps.add(words);
            }
            IncrementalEmbedder.Outcome o = production.apply(upsert("d" + doc, join(ps), List.of("group:eng"), 1, 0), null);
            DocumentState state = o.state();
            for (int e = 0; e < 20; e++) {
                List<String> words = ps.get(r.nextInt(ps.size()));
                int at = r.nextInt(words.size());
                switch (r.nextInt(3)) {
                    case 0 -> words.set(at, "edit" + e);
                    case 1 -> words.add(at, "inserted" + e);
                    default -> words.remove(at);
                }
                SourceChange change = upsert("d" + doc, join(ps), List.of("group:eng"), 2 + e, 0);
                IncrementalEmbedder.Outcome next = production.apply(change, state);
                // the incremental result is exactly what embedding everything again would index
                IndexAction whole = full.apply(change);
                assertThat(next.action().chunks()).hasSameSizeAs(whole.chunks());
                for (int i = 0; i < whole.chunks().size(); i++) {
                    assertThat(next.action().chunks().get(i).chunk()).isEqualTo(whole.chunks().get(i).chunk());
                    assertThat(next.action().chunks().get(i).vector()).isEqualTo(whole.chunks().get(i).vector());
                }
                embedded += next.embedded();
                chunks += next.action().chunks().size();
                edits++;
                state = next.state();
            }
        }
        double perEdit = embedded / (double) edits;
        double chunksPerDoc = chunks / (double) edits;
        System.out.printf("incremental embedding (seed %d): %d random one-word edits (replace, insert, delete) of "
                + "%.1f-chunk documents, default chunker (200 tokens, 32 overlap): %.2f chunks embedded per edit; "
                + "%.1f%% of the embedding work of re-embedding whole documents saved%n",
                seed, edits, chunksPerDoc, perEdit, 100 * (1 - perEdit / chunksPerDoc));
        assertThat(chunksPerDoc).isBetween(19.0, 21.0);
        assertThat(perEdit).as("seed %d", seed).isLessThanOrEqualTo(2.5);
    }

    private static String join(List<List<String>> paragraphs) {
        List<String> ps = new ArrayList<>();
        for (List<String> words : paragraphs) {
            ps.add(String.join(" ", words) + ".");
        }
        return String.join("\n\n", ps);
    }

    @Test
    void stateSurvivesItsBinaryFormAndRefusesAnUnknownVersion() {
        IncrementalEmbedder.Outcome o = incremental.apply(upsert("d1", paragraphs(new Random(2), 3), List.of("group:eng"), 1, 0), null);
        DocumentState back = DocumentState.fromBytes(o.state().toBytes());
        assertThat(back.model()).isEqualTo("counting@v1");
        assertThat(back.contentKey()).isEqualTo(o.state().contentKey());
        assertThat(back.chunks()).hasSize(3);
        assertThat(back.chunks().get(1).vector()).isEqualTo(o.state().chunks().get(1).vector());
        byte[] bytes = o.state().toBytes();
        bytes[0] = 9;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DocumentState.fromBytes(bytes))
                .hasMessageContaining("version 9");
    }

    @Test
    void stateOfVersionOneWithoutSectionsIsStillRead() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF("counting@v1");
            out.write(new byte[32]);
            out.write(new byte[32]);
            out.writeInt(1);
            out.writeInt(0);
            out.writeInt(5);
            out.writeLong(42L);
            out.writeInt(2);
            out.writeFloat(0.5f);
            out.writeFloat(-0.5f);
        }
        DocumentState old = DocumentState.fromBytes(bytes.toByteArray());
        assertThat(old.chunks()).singleElement().satisfies(c -> {
            assertThat(c.section()).isEmpty();
            assertThat(c.inputHash()).isEqualTo(42L);
            assertThat(c.vector()).containsExactly(0.5f, -0.5f);
        });
        assertThat(DocumentState.fromBytes(old.toBytes()).chunks().get(0).end()).isEqualTo(5);
    }

    @Test
    void markdownChunksKeepTheirSectionThroughTheStateAndItsHeadingPathIsEmbedded() {
        var md = new IncrementalEmbedder(new io.freshet.core.chunk.MarkdownChunker(64, 0,
                new io.freshet.core.chunk.WhitespaceTokenCounter()), embedder, "v1");
        String body = "# Install\nGet it.\n\n## Linux\nUnpack it.";
        IncrementalEmbedder.Outcome first = md.apply(upsert("d1", body, List.of("group:eng"), 1, 0), null);
        assertThat(first.action().chunks()).extracting(c -> c.chunk().section()).containsExactly("Install", "Install > Linux");
        assertThat(ChangeEmbedder.embeddingInput("Guide", first.action().chunks().get(1).chunk()))
                .isEqualTo("Guide > Install > Linux\n## Linux\nUnpack it.");
        DocumentState restored = DocumentState.fromBytes(first.state().toBytes());
        IncrementalEmbedder.Outcome aclOnly = md.apply(upsert("d1", body, List.of("group:ops"), 2, 0), restored);
        assertThat(aclOnly.kind()).isEqualTo(IncrementalEmbedder.Kind.ACL_ONLY);
        assertThat(aclOnly.action().chunks()).extracting(c -> c.chunk().section()).containsExactly("Install", "Install > Linux");
    }
}
