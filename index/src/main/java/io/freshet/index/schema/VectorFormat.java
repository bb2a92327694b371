package io.freshet.index.schema;

import java.util.Locale;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;

/**
 * How chunk vectors are stored and graphed. Every format keeps the full-precision vectors too, so a
 * quantized graph can be rescored exactly; the format is recorded per segment, so a reader opens any mix.
 */
public enum VectorFormat {
    /** HNSW over float32 vectors. */
    HNSW,
    /** HNSW over int8 scalar-quantized vectors (a quarter of the memory to search), floats kept for rescoring. */
    INT8_HNSW;

    /** HNSW max connections per node. */
    public static final int MAX_CONN = 16;
    /** HNSW candidate list size while building. */
    public static final int BEAM_WIDTH = 100;

    /** Parses {@code hnsw} or {@code int8-hnsw}. */
    public static VectorFormat parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "hnsw" -> HNSW;
            case "int8-hnsw" -> INT8_HNSW;
            default -> throw new IllegalArgumentException("vector format must be hnsw or int8-hnsw; got '" + s + "'");
        };
    }

    /** The configuration name ({@code hnsw}, {@code int8-hnsw}). */
    public String configName() {
        return this == HNSW ? "hnsw" : "int8-hnsw";
    }

    /** The Lucene vectors format. */
    public KnnVectorsFormat knnFormat() {
        return switch (this) {
            case HNSW -> new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH);
            case INT8_HNSW -> new Lucene104HnswScalarQuantizedVectorsFormat(
                    QuantizedByteVectorValues.ScalarEncoding.SEVEN_BIT, MAX_CONN, BEAM_WIDTH);
        };
    }

    /**
     * True when a segment's vector field was written in a quantized format (its graph ranks by approximate
     * scores, so full-precision rescoring pays off); false for float HNSW or when the field is absent.
     */
    public static boolean isQuantized(FieldInfo field) {
        if (field == null || !field.hasVectorValues()) {
            return false;
        }
        String name = field.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY);
        return name != null && !name.equals(HNSW.knnFormat().getName());
    }

    /** The codec that writes chunk vectors in this format. */
    public Codec codec() {
        KnnVectorsFormat format = knnFormat();
        return new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        };
    }
}
