/** Freshet's Flink jobs: the streaming ingest job and its operators, the Lucene sink and their options. */
package io.freshet.jobs;
