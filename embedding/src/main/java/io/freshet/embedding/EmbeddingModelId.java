package io.freshet.embedding;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The in-process embedding models Freshet ships, by the id used in configuration and index lineage, with
 * what it takes to run each as it was trained: its weights and tokenizer (resources of the LangChain4j model
 * jars), its pooling, the input length it was trained on, and the instruction it expects before a query.
 */
public enum EmbeddingModelId {
    /** sentence-transformers/all-MiniLM-L6-v2, 384 dimensions: fast. Trained on inputs up to 256 tokens. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", 384, "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
            Pooling.MEAN, 256, ""),
    /**
     * BAAI/bge-small-en-v1.5, 384 dimensions: better quality, about twice the cost. Queries for passage
     * retrieval take the model's instruction prefix, as its authors evaluate it.
     */
    BGE_SMALL_EN_V15("bge-small-en-v1.5", 384, "bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json",
            Pooling.CLS, 512, Bge.QUERY_INSTRUCTION),
    /**
     * all-MiniLM-L6-v2 with int8-quantized weights: about 2x the throughput on a CPU with VNNI, for a
     * small loss of quality (BENCHMARKS.md).
     */
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", 384, "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
            Pooling.MEAN, 256, ""),
    /** bge-small-en-v1.5 with int8-quantized weights: about 2.2x the throughput on a CPU with VNNI. */
    BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", 384, "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json",
            Pooling.CLS, 512, Bge.QUERY_INSTRUCTION);

    /** The instruction bge models expect before a query for passage retrieval. */
    private static final class Bge {
        static final String QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";
    }

    /** How token vectors become one text vector. */
    public enum Pooling {
        /** The first ([CLS]) token's vector. */
        CLS,
        /** The mean of all non-padding token vectors. */
        MEAN
    }

    private final String id;
    private final int dimension;
    private final String onnxResource;
    private final String tokenizerResource;
    private final Pooling pooling;
    private final int maxTokens;
    private final String queryInstruction;
    private String version;

    EmbeddingModelId(String id, int dimension, String onnxResource, String tokenizerResource, Pooling pooling,
            int maxTokens, String queryInstruction) {
        this.id = id;
        this.dimension = dimension;
        this.onnxResource = onnxResource;
        this.tokenizerResource = tokenizerResource;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
        this.queryInstruction = queryInstruction;
    }

    /** The id used in configuration ({@code embedding.model}) and recorded with every vector. */
    public String id() {
        return id;
    }

    /** Vector dimension. */
    public int dimension() {
        return dimension;
    }

    /** Classpath resource holding the ONNX graph. */
    String onnxResource() {
        return onnxResource;
    }

    /** Classpath resource holding the Hugging Face tokenizer definition. */
    String tokenizerResource() {
        return tokenizerResource;
    }

    /** How the model pools token vectors. */
    public Pooling pooling() {
        return pooling;
    }

    /** The longest input, in word pieces including [CLS] and [SEP], the model was trained on; longer is cut. */
    public int maxTokens() {
        return maxTokens;
    }

    /**
     * Whether the weights are int8 with dynamically quantized activations. Such a model's output for a text
     * depends on what it is batched with (padding enters the activation ranges), so it runs one text at a time.
     */
    public boolean quantized() {
        return id.endsWith("-q");
    }

    /**
     * The version of the weights: the first 16 hex digits of the SHA-256 of the ONNX graph, computed once per
     * JVM (a few hundred milliseconds). Recorded with every index commit.
     */
    public synchronized String version() {
        if (version == null) {
            try (java.io.InputStream in = EmbeddingModelId.class.getClassLoader().getResourceAsStream(onnxResource)) {
                if (in == null) {
                    throw new IllegalStateException("model resource " + onnxResource + " is not on the classpath");
                }
                java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
                version = "sha256:" + java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 16);
            } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("cannot read model resource " + onnxResource, e);
            }
        }
        return version;
    }

    /** Prefix the model expects before a search query (empty when it expects none). */
    public String queryInstruction() {
        return queryInstruction;
    }

    /**
     * Looks a model up by its configuration id.
     *
     * @throws IllegalArgumentException naming the bad value and the known ids
     */
    public static EmbeddingModelId of(String id) {
        for (EmbeddingModelId m : values()) {
            if (m.id.equalsIgnoreCase(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("embedding.model must be one of "
                + Arrays.stream(values()).map(EmbeddingModelId::id).collect(Collectors.joining(", "))
                + "; got '" + id + "'");
    }
}
