/**
 * {@code freshet eval}: ingests a BEIR-format dataset through the production chunker, embedder and index
 * writer into a scratch index, answers every query through the service's own retrieval core, and reports
 * nDCG@10, Recall@10/100, MRR@10 and latency per mode, optionally as a given principal under assigned ACLs,
 * counting any document returned outside that principal's rights.
 */
package io.freshet.app.eval;
