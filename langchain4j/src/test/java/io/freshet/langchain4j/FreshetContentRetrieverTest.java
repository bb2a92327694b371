package io.freshet.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Query;
import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.Embedder;
import io.freshet.core.IndexAction;
import io.freshet.core.SourceDocument;
import io.freshet.embedding.EmbeddingModelId;
import io.freshet.embedding.OnnxEmbedder;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.write.ChunkIndexWriter;
import io.freshet.serving.RetrievalService;
import io.freshet.serving.ServingConfig;
import io.freshet.serving.identity.LocalSigningKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retriever against a running Freshet service over a real index with real embeddings. */
class FreshetContentRetrieverTest {

    @TempDir
    Path dir;

    @Test
    void retrievesInsideTheUsersPermissionsWithCitations() throws Exception {
        Embedder model = OnnxEmbedder.onCallerThread(EmbeddingModelId.of("all-minilm-l6-v2"));
        LocalSigningKey key = LocalSigningKey.loadOrCreate(dir.resolve("keys"));
        try (ChunkIndexWriter writer = new ChunkIndexWriter(dir.resolve("index"), model.modelId(), "c");
                ChunkSearcher searcher = new ChunkSearcher(dir.resolve("index"))) {
            index(writer, model, "hr-1", "Parental leave policy", "Employees get sixteen weeks of paid parental leave.",
                    List.of("group:hr"));
            index(writer, model, "eng-1", "Deploy guide", "Run the pipeline and watch the dashboards.", List.of("group:eng"));
            writer.commit();
            searcher.refresh();
            ServingConfig config = ServingConfig.builder().port(0).jwt(key.settings(Duration.ofSeconds(5))).build();
            try (RetrievalService service = new RetrievalService(config, searcher, model)) {
                String base = "http://127.0.0.1:" + service.start();
                FreshetContentRetriever bob = FreshetContentRetriever.builder()
                        .baseUrl(base)
                        .token(() -> key.mint("bob", List.of("hr"), "acme", Duration.ofMinutes(5)))
                        .maxResults(3)
                        .build();
                List<Content> contents = bob.retrieve(Query.from("How long is parental leave?"));
                assertThat(contents).hasSize(1);
                Content c = contents.get(0);
                assertThat(c.textSegment().text()).contains("sixteen weeks");
                assertThat(c.textSegment().metadata().getString("document_id")).isEqualTo("hr-1");
                assertThat(c.textSegment().metadata().getString("source")).isEqualTo("public.documents");
                assertThat(c.textSegment().metadata().getInteger("end")).isPositive();
                assertThat(c.textSegment().metadata().getLong("commit_generation")).isPositive();
                assertThat(c.textSegment().metadata().getString("degraded")).isEmpty();
                assertThat(c.metadata().get(ContentMetadata.SCORE)).isInstanceOf(Double.class);

                FreshetContentRetriever alice = FreshetContentRetriever.builder().baseUrl(base)
                        .token(key.mint("alice", List.of("eng"), "acme", Duration.ofMinutes(5)))
                        .mode("keyword").filters(Map.of("sources", List.of("public.documents"))).build();
                assertThat(alice.retrieve(Query.from("parental leave"))).isEmpty();

                FreshetContentRetriever forged = FreshetContentRetriever.builder().baseUrl(base).token("garbage").build();
                assertThatThrownBy(() -> forged.retrieve(Query.from("leave")))
                        .isInstanceOfSatisfying(FreshetRetrievalException.class, e -> {
                            assertThat(e.status()).isEqualTo(401);
                            assertThat(e.code()).isEqualTo("invalid_token");
                        });
            }
        }
        assertThatThrownBy(() -> FreshetContentRetriever.builder().build()).hasMessageContaining("token");
        assertThatThrownBy(() -> FreshetContentRetriever.builder().token("t").mode("fuzzy").build())
                .hasMessageContaining("fuzzy");
    }

    private static void index(ChunkIndexWriter writer, Embedder model, String id, String title, String body, List<String> acl)
            throws Exception {
        SourceDocument d = new SourceDocument(id, title, body, acl, "acme", 1_700_000_000_000L);
        float[] v = model.embed(List.of(title + "\n" + body)).get(0);
        writer.apply(new IndexAction(id, d, List.of(new EmbeddedChunk(new Chunk(0, body, 0, body.length()), v)),
                "public.documents", "0/1", 1_700_000_000_000L, model.modelId()));
    }
}
