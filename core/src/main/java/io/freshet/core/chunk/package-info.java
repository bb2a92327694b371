/** Chunking strategies: how a document body becomes token-bounded chunks with exact character offsets. */
package io.freshet.core.chunk;
