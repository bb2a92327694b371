/** The Flink sink that writes index actions into the Lucene chunk index. */
package io.freshet.jobs.sink;
