/** Everything {@code freshet up} runs in one process: embedded PostgreSQL, the ingest job on a local Flink cluster, the service. */
package io.freshet.app.local;
