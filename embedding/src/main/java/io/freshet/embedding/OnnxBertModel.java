package io.freshet.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A BERT-family sentence encoder run on ONNX Runtime the way the model was trained: each input is cut at the
 * model's trained length ({@link EmbeddingModelId#maxTokens()}), inputs are batched by similar length with
 * padding masked out, and token vectors are pooled as the model specifies.
 *
 * <p>LangChain4j's in-process models instead split an input longer than 510 word pieces into windows and
 * average the window vectors, and run one input at a time; for all-MiniLM-L6-v2, trained on 256 tokens,
 * that feeds the model inputs it never saw. The weights and tokenizer are the ones LangChain4j ships.
 *
 * <p>Each ONNX run is single-threaded; a call with several batches runs them concurrently on a shared pool of
 * one thread per core. On 2 idle cores that embeds about 1.15x faster than one run at a time on ONNX
 * Runtime's own 2 intra-op threads (SciFact abstracts, two interleaved rounds: quantized MiniLM 34 and 40
 * against 30 and 33 a second, float MiniLM 20 and 23 against 19 and 18), and concurrent callers (Flink
 * subtasks, query threads) do not oversubscribe the cores.
 *
 * <p>Thread-safe; one instance per model per JVM ({@link #get}).
 */
final class OnnxBertModel {

    /**
     * Most inputs, and most padded tokens, in one ONNX run. On a CPU a batch gains nothing once its
     * activations leave the cache (measured on 2 cores, float MiniLM on 2 intra-op threads: 200-token chunks
     * ran 31-35/s alone, 28/s in pairs, 25/s in fours, 21/s in 32s), so only short inputs such as queries
     * are batched.
     */
    private static final int MAX_BATCH = 32;
    private static final int MAX_BATCH_TOKENS = 256;

    private static final Map<EmbeddingModelId, OnnxBertModel> LOADED = new EnumMap<>(EmbeddingModelId.class);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), new ThreadFactory() {
                private final AtomicInteger n = new AtomicInteger();

                @Override
                public Thread newThread(Runnable r) {
                    Thread t = new Thread(r, "onnx-embed-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }
            });

    private final EmbeddingModelId model;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean needsTypeIds;
    private final HuggingFaceTokenizer tokenizer;

    private OnnxBertModel(EmbeddingModelId model) {
        this.model = model;
        try {
            this.env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                options.setIntraOpNumThreads(1); // parallel across runs instead (see the class comment)
                this.session = env.createSession(resource(model.onnxResource()), options);
            }
            this.needsTypeIds = session.getInputNames().contains("token_type_ids");
            try (InputStream in = stream(model.tokenizerResource())) {
                this.tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of(
                        "addSpecialTokens", "true",
                        "truncation", "true",
                        "maxLength", Integer.toString(model.maxTokens()),
                        "padding", "false"));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load ONNX model " + model.id(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer of " + model.id(), e);
        }
    }

    /** The shared instance for {@code model}, loaded on first use (about a second). */
    static OnnxBertModel get(EmbeddingModelId model) {
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(model, OnnxBertModel::new);
        }
    }

    /** Word pieces the model sees for {@code text}, after the cut, including [CLS] and [SEP]. */
    int tokens(String text) {
        return tokenizer.encode(text).getIds().length;
    }

    /** One L2-normalised vector per text, in order. */
    float[][] embed(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        Integer[] order = IntStream.range(0, texts.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
        float[][] out = new float[texts.size()][];
        List<Integer[]> batches = new ArrayList<>();
        int start = 0;
        while (start < order.length) {
            int end = start + 1;
            // sorted by length, so the batch pads to the length of its last member
            while (!model.quantized() && end < order.length && end - start < MAX_BATCH
                    && (long) (end - start + 1) * encodings[order[end]].getIds().length <= MAX_BATCH_TOKENS) {
                end++;
            }
            batches.add(Arrays.copyOfRange(order, start, end));
            start = end;
        }
        if (batches.size() == 1) {
            runBatch(encodings, batches.get(0), out);
            return out;
        }
        List<Future<?>> running = new ArrayList<>(batches.size());
        for (Integer[] batch : batches) {
            running.add(POOL.submit(() -> runBatch(encodings, batch, out)));
        }
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            running.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        } catch (ExecutionException e) {
            running.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("embedding with " + model.id() + " failed", e.getCause());
        }
        return out; // Future.get orders every batch's writes before this read
    }

    private void runBatch(Encoding[] encodings, Integer[] members, float[][] out) {
        int batch = members.length;
        int len = encodings[members[batch - 1]].getIds().length;
        long[] ids = new long[batch * len];
        long[] mask = new long[batch * len];
        long[] types = new long[batch * len];
        for (int b = 0; b < batch; b++) {
            Encoding e = encodings[members[b]];
            long[] tokenIds = e.getIds();
            System.arraycopy(tokenIds, 0, ids, b * len, tokenIds.length);
            System.arraycopy(e.getAttentionMask(), 0, mask, b * len, tokenIds.length);
            System.arraycopy(e.getTypeIds(), 0, types, b * len, tokenIds.length);
        }
        long[] shape = {batch, len};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (needsTypeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                int dim = model.dimension();
                for (int b = 0; b < batch; b++) {
                    out[members[b]] = OnnxEmbedder.normalize(pool(hidden, b, len, dim, mask));
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("embedding with " + model.id() + " failed", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[] pool(FloatBuffer hidden, int b, int len, int dim, long[] mask) {
        float[] v = new float[dim];
        int base = b * len * dim;
        if (model.pooling() == EmbeddingModelId.Pooling.CLS) {
            hidden.get(base, v);
            return v;
        }
        int n = 0;
        for (int t = 0; t < len; t++) {
            if (mask[b * len + t] == 0) {
                continue;
            }
            n++;
            int off = base + t * dim;
            for (int d = 0; d < dim; d++) {
                v[d] += hidden.get(off + d);
            }
        }
        for (int d = 0; d < dim; d++) {
            v[d] /= Math.max(1, n);
        }
        return v;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream stream(String name) {
        InputStream in = OnnxBertModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("model resource " + name + " is not on the classpath");
        }
        return in;
    }
}
