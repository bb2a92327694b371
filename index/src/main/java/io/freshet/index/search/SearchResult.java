package io.freshet.index.search;

import io.freshet.index.schema.CommitData;
import java.util.List;

/**
 * The hits of one search and what was searched.
 *
 * @param hits the hits, best first
 * @param commitGeneration the Lucene commit generation searched
 * @param commit the lineage of that commit
 */
public record SearchResult(List<ChunkHit> hits, long commitGeneration, CommitData commit) {}
