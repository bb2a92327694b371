package io.freshet.index.search;

/**
 * Size of a served commit.
 *
 * @param documents documents with at least one chunk
 * @param chunks chunks
 */
public record IndexStats(long documents, long chunks) {}
