package io.freshet.index.search;

import io.freshet.index.schema.ChunkSchema;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.document.LongField;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Metadata filters a caller may add to a search. They are ANDed with the permission filter, so they can
 * only narrow what the caller sees, never widen it.
 *
 * @param sources if not empty, only chunks from these sources (tables or topics)
 * @param attributes each entry {@code name -> values} keeps chunks whose metadata column {@code name} has one
 *     of the values; entries are ANDed
 * @param updatedFromMillis if not null, only documents updated at or after this time (epoch ms)
 * @param updatedToMillis if not null, only documents updated at or before this time (epoch ms)
 */
public record SearchFilters(Set<String> sources, Map<String, Set<String>> attributes, Long updatedFromMillis,
        Long updatedToMillis) {

    /** No filter beyond permissions. */
    public static final SearchFilters NONE = new SearchFilters(Set.of(), Map.of(), null, null);

    public SearchFilters {
        sources = sources == null ? Set.of() : Set.copyOf(sources);
        Map<String, Set<String>> copy = new TreeMap<>();
        if (attributes != null) {
            attributes.forEach((k, v) -> {
                if (k == null || k.isBlank()) {
                    throw new IllegalArgumentException("attribute filter names must not be blank");
                }
                if (k.equals(io.freshet.index.schema.ChunkSchema.LINKED_TO_KEY)) { // would probe for canonicals' ids
                    throw new IllegalArgumentException("attribute filter '" + k + "' is not allowed");
                }
                if (v == null || v.isEmpty()) {
                    throw new IllegalArgumentException("attribute filter '" + k + "' needs at least one value");
                }
                copy.put(k, Set.copyOf(v));
            });
        }
        attributes = Map.copyOf(copy);
        if (updatedFromMillis != null && updatedToMillis != null && updatedFromMillis > updatedToMillis) {
            throw new IllegalArgumentException("time range is empty: from " + updatedFromMillis + " is after to "
                    + updatedToMillis);
        }
    }

    /** True when this adds nothing to the permission filter. */
    public boolean isEmpty() {
        return sources.isEmpty() && attributes.isEmpty() && updatedFromMillis == null && updatedToMillis == null;
    }

    /** Adds this filter's clauses, as FILTER clauses, to {@code builder}. */
    void addTo(BooleanQuery.Builder builder) {
        if (!sources.isEmpty()) {
            builder.add(terms(ChunkSchema.SOURCE, sources), BooleanClause.Occur.FILTER);
        }
        attributes.forEach((name, values) ->
                builder.add(terms(ChunkSchema.METADATA_PREFIX + name, values), BooleanClause.Occur.FILTER));
        if (updatedFromMillis != null || updatedToMillis != null) {
            builder.add(LongField.newRangeQuery(ChunkSchema.UPDATED_AT,
                    updatedFromMillis == null ? Long.MIN_VALUE : updatedFromMillis,
                    updatedToMillis == null ? Long.MAX_VALUE : updatedToMillis), BooleanClause.Occur.FILTER);
        }
    }

    private static Query terms(String field, Set<String> values) {
        return new TermInSetQuery(field, values.stream().sorted().map(BytesRef::new).toList());
    }
}
