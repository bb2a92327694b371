package io.freshet.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.freshet.core.Embedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Embeds in-process with an ONNX model whose weights ship in a LangChain4j Maven jar: no network, no
 * download at run time. Vectors are L2-normalised so that dot product equals cosine similarity.
 *
 * <p>By default ({@link LongInput#TRUNCATE}) an input is cut at the length the model was trained on and
 * inputs are batched ({@link OnnxBertModel}). {@link LongInput#AVERAGE_WINDOWS} runs LangChain4j's own model
 * class instead, which averages 510-token windows; it is kept to measure what that costs
 * ({@code freshet eval --long-input average-windows}).
 *
 * <p>Loading a model takes about a second; the loaded model is shared per JVM.
 */
public final class OnnxEmbedder implements Embedder {

    /** What happens to an input longer than the model's trained length. */
    public enum LongInput {
        /** Cut at {@link EmbeddingModelId#maxTokens()} word pieces, as the model was trained. */
        TRUNCATE,
        /** LangChain4j's behaviour: average the vectors of 510-token windows. */
        AVERAGE_WINDOWS;

        /** Parses {@code truncate} or {@code average-windows}, naming the bad value otherwise. */
        public static LongInput of(String value) {
            for (LongInput l : values()) {
                if (l.name().replace('_', '-').equalsIgnoreCase(value)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("long input policy must be truncate or average-windows; got '"
                    + value + "'");
        }
    }

    private final EmbeddingModelId model;
    private final OnnxBertModel encoder;
    private final EmbeddingModel windowed;

    /**
     * @param model which shipped model to load
     * @param longInput what to do with inputs longer than the model's trained length
     */
    public OnnxEmbedder(EmbeddingModelId model, LongInput longInput) {
        this.model = Objects.requireNonNull(model, "model");
        if (Objects.requireNonNull(longInput, "longInput") == LongInput.TRUNCATE) {
            this.encoder = OnnxBertModel.get(model);
            this.windowed = null;
        } else {
            this.encoder = null;
            this.windowed = switch (model) {
                case ALL_MINILM_L6_V2 -> new AllMiniLmL6V2EmbeddingModel(Runnable::run);
                case BGE_SMALL_EN_V15 -> new BgeSmallEnV15EmbeddingModel(Runnable::run);
                case ALL_MINILM_L6_V2_Q -> new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
                case BGE_SMALL_EN_V15_Q -> new BgeSmallEnV15QuantizedEmbeddingModel(Runnable::run);
            };
        }
    }

    /** Loads {@code model}, embedding on the calling thread, inputs cut at the trained length. */
    public static OnnxEmbedder onCallerThread(EmbeddingModelId model) {
        return new OnnxEmbedder(model, LongInput.TRUNCATE);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<String> inputs = new ArrayList<>(texts.size());
        for (String t : texts) {
            // a blank text still gets a (constant) vector
            inputs.add(t == null || t.isBlank() ? "." : t);
        }
        if (encoder != null) {
            return Arrays.asList(encoder.embed(inputs));
        }
        List<Embedding> embeddings = windowed.embedAll(inputs.stream().map(TextSegment::from).toList()).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            vectors.add(normalize(e.vector()));
        }
        return vectors;
    }

    @Override
    public float[] embedQuery(String query) {
        return embed(List.of(model.queryInstruction() + query)).get(0);
    }

    /** Word pieces the model sees for {@code text} (after the cut), including [CLS] and [SEP]. */
    int modelTokens(String text) {
        return OnnxBertModel.get(model).tokens(text);
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public String modelId() {
        return model.id();
    }

    /** The model this embedder runs. */
    public EmbeddingModelId model() {
        return model;
    }

    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0) {
            return v;
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }
}
