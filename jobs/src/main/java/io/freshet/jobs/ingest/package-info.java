/** The streaming ingest job: change events in, index actions out. */
package io.freshet.jobs.ingest;
