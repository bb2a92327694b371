package io.freshet.app.local;

import io.freshet.app.config.LocalOptions;
import io.freshet.app.config.ServingOptions;
import io.freshet.core.Embedder;
import io.freshet.embedding.EmbeddingModelId;
import io.freshet.embedding.OnnxEmbedder;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.index.search.VectorSearchOptions;
import io.freshet.jobs.config.EmbeddingOptions;
import io.freshet.serving.RetrievalService;
import io.freshet.serving.ServingConfig;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one JVM, as {@code freshet up} runs it: an embedded PostgreSQL holding the
 * {@code documents} table, the ingest job (Debezium source, chunking, embedding, Lucene sink) on a local
 * Flink cluster with checkpointing, and the retrieval service over the index the job writes.
 *
 * <p>{@link #close()} cancels the job, stops the service and stops PostgreSQL; nothing is left running.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private LocalPostgres postgres;
    private String database;
    private ChunkSearcher searcher;
    private RetrievalService service;
    private IngestSupervisor ingest;
    private volatile CompletableFuture<?> jobResult = new CompletableFuture<>();
    private Path workDir;
    private long sampleDocuments;
    private String servingHost;

    private LocalStack() {}

    /**
     * Starts everything.
     *
     * @param config the configuration (see {@code conf/freshet.yaml})
     * @param home the directory relative paths resolve against
     * @param status receives one line per start-up step
     */
    public static LocalStack start(Configuration config, Path home, Consumer<String> status) throws Exception {
        LocalStack stack = new LocalStack();
        try {
            stack.doStart(config, home, status);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void doStart(Configuration config, Path home, Consumer<String> status) throws Exception {
        workDir = home.resolve(config.get(LocalOptions.WORK_DIR)).toAbsolutePath().normalize();
        Path indexDir = IngestLauncher.indexDir(config, workDir);
        Path checkpoints = IngestLauncher.checkpointsDir(workDir);
        if (config.get(LocalOptions.FRESH_START)) {
            LocalPostgres.deleteRecursively(indexDir);
            LocalPostgres.deleteRecursively(checkpoints);
        }
        EmbeddingModelId model = EmbeddingModelId.of(config.get(EmbeddingOptions.MODEL));
        ServingConfig servingConfig = ServingOptions.servingConfig(config, home, workDir);
        // bad serving.knn.* or index.vector-format values fail before anything starts
        VectorSearchOptions knn = ServingOptions.vectorSearch(config, null);
        io.freshet.jobs.config.IndexOptions.vectorFormat(config);

        servingHost = servingConfig.host();
        status.accept("starting embedded PostgreSQL");
        postgres = LocalPostgres.start(workDir.resolve("logs"), config.get(LocalOptions.POSTGRES_PORT));
        resources.add(postgres);
        database = config.get(LocalOptions.POSTGRES_DATABASE);
        postgres.createDatabase(database);
        try (Connection c = postgres.connect(database)) {
            DocumentsTable.create(c);
            if (config.get(LocalOptions.SAMPLE_CORPUS) && DocumentsTable.count(c) == 0) {
                sampleDocuments = DocumentsTable.loadSampleCorpus(c);
                status.accept("loaded " + sampleDocuments + " sample documents into " + database + "."
                        + DocumentsTable.QUALIFIED_NAME);
            }
        }

        status.accept("loading embedding model " + model.id());
        Embedder queryEmbedder = OnnxEmbedder.onCallerThread(model);
        int searchThreads = config.get(ServingOptions.KNN_SEARCH_THREADS);
        ExecutorService searchPool = null;
        if (searchThreads > 0) {
            searchPool = Executors.newFixedThreadPool(searchThreads,
                    Thread.ofPlatform().name("freshet-search-", 1).daemon().factory());
            resources.add(searchPool::shutdownNow);
        }
        searcher = ChunkSearcher.forIndexRoot(new IndexRoot(indexDir), knn.withExecutor(searchPool));
        resources.add(searcher);
        service = new RetrievalService(servingConfig, searcher, queryEmbedder);
        resources.add(service);
        service.start();

        status.accept("starting the ingest job (Debezium -> Flink -> Lucene)");
        ingest = IngestSupervisor.start(config, workDir, new IngestLauncher.Postgres("127.0.0.1", postgres.port(), database,
                LocalPostgres.SUPERUSER, ""), Optional.empty());
        jobResult = ingest.failure();
    }

    /** The embedded PostgreSQL. */
    public LocalPostgres postgres() {
        return postgres;
    }

    /** The database holding the documents table. */
    public String database() {
        return database;
    }

    /** The searcher the service reads through. */
    public ChunkSearcher searcher() {
        return searcher;
    }

    /** Base URI of the retrieval service. */
    public URI serviceUri() {
        String host = servingHost.equals("0.0.0.0") || servingHost.equals("::") ? "127.0.0.1" : servingHost;
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + service.port());
    }

    /** Completes exceptionally if an ingest job fails (not when it is restarted after an owner operation). */
    public CompletableFuture<?> jobResult() {
        return jobResult;
    }

    /** Documents the sample corpus loaded at start (0 when it was not loaded). */
    public long sampleDocuments() {
        return sampleDocuments;
    }

    /** The working directory (index, checkpoints, logs). */
    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        if (ingest != null) {
            ingest.close();
            ingest = null;
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("Failed to close {}", resources.get(i).getClass().getSimpleName(), e);
            }
        }
        resources.clear();
    }
}
