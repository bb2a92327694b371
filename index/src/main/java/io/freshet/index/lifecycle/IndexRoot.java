package io.freshet.index.lifecycle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An index directory with generations side by side and a manifest naming the live one:
 *
 * <pre>
 * index/
 *   manifest.json                 live generation, pinned point, ingestion state, epoch
 *   audit.jsonl                   one line per owner operation (who, when, from, to, why)
 *   generations/g0001/
 *     generation.json             model, chunker, shards, forked-from, replay positions
 *     runs.json                   ingest runs and their numbers
 *     shard-0/ ...                Lucene index of each shard
 *     shard-0.published.json      newest checkpoint the committer published for the shard
 * </pre>
 *
 * <p>Owner operations ({@link #rollback}, {@link #promote}, {@link #resume}) hold an exclusive file lock on
 * the root, append their audit record, then replace the manifest atomically. Services pick the change up at
 * their next refresh; ingest jobs at their next manifest check (see {@link Manifest#epoch()}).
 */
public final class IndexRoot {

    private static final Logger LOG = LoggerFactory.getLogger(IndexRoot.class);

    static final String MANIFEST = "manifest.json";
    static final String AUDIT = "audit.jsonl";
    static final String GENERATIONS = "generations";
    static final String GENERATION_FILE = "generation.json";
    static final String RUNS_FILE = "runs.json";
    static final String EVALUATION_FILE = "evaluation.json";
    static final String GATE_FILE = "gate.json";
    private static final String LOCK = ".owner.lock";

    /** What ingestion does after a rollback. */
    public enum AfterRollback {
        /** Ingestion restarts on a fork of the target point, from its recorded source positions. */
        REPLAY,
        /** Ingestion stops; the service stays pinned on the target point until {@link #resume}. */
        PAUSE;

        /** Parses {@code replay} or {@code pause} (any case), naming a bad value. */
        public static AfterRollback of(String name) {
            return switch (name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "replay" -> REPLAY;
                case "pause" -> PAUSE;
                default -> throw new IllegalArgumentException("ingestion after a rollback must be replay or pause; got '"
                        + name + "'");
            };
        }
    }

    private final Path dir;

    public IndexRoot(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** True when {@code dir} holds a manifest (an index written by the lifecycle-aware sink). */
    public static boolean isIndexRoot(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /** The manifest; empty before the first generation exists. */
    public Optional<Manifest> manifest() throws IOException {
        return JsonFiles.read(dir.resolve(MANIFEST), Manifest.class);
    }

    private void writeManifest(Manifest m) throws IOException {
        JsonFiles.write(dir.resolve(MANIFEST), m);
    }

    /** What the manifest says is served: a generation and a point of it. */
    public record Served(Generation generation, PointId point) {
        @Override
        public String toString() {
            return generation.id() + "@" + point;
        }
    }

    /**
     * What is served now: the live generation at its pinned point, else at its head (the newest point every
     * shard published); empty before anything is published.
     */
    public Optional<Served> served() throws IOException {
        Optional<Manifest> m = manifest();
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Generation g = generation(m.get().live());
        PointId point = m.get().pinnedPoint();
        if (point != null) {
            return Optional.of(new Served(g, point));
        }
        return g.head().map(head -> new Served(g, head));
    }

    /**
     * Opens a reader over what the manifest says is served (the pinned point, else the live generation's
     * head), all shards together; empty when nothing is published yet. The caller closes it.
     */
    public Optional<IndexReader> openServed() throws IOException {
        Optional<Served> served = served();
        if (served.isEmpty()) {
            return Optional.empty();
        }
        Generation g = served.get().generation();
        List<IndexReader> shards = new ArrayList<>();
        try {
            for (int s = 0; s < g.info().shards(); s++) {
                Directory d = FSDirectory.open(g.shardDir(s));
                try {
                    shards.add(new DirectoryOwningReader(DirectoryReader.open(g.commitAt(d, s, served.get().point()).commit()), d));
                } catch (IOException | RuntimeException e) {
                    d.close();
                    throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            for (IndexReader r : shards) {
                r.close();
            }
            throw e;
        }
        return Optional.of(new MultiReader(shards.toArray(new IndexReader[0]), true));
    }

    /** A shard reader that closes its directory with it. */
    private static final class DirectoryOwningReader extends org.apache.lucene.index.FilterDirectoryReader {
        private final Directory directory;

        DirectoryOwningReader(DirectoryReader in, Directory directory) throws IOException {
            super(in, new SubReaderWrapper() {
                @Override
                public org.apache.lucene.index.LeafReader wrap(org.apache.lucene.index.LeafReader reader) {
                    return reader;
                }
            });
            this.directory = directory;
        }

        @Override
        protected DirectoryReader doWrapDirectoryReader(DirectoryReader in) throws IOException {
            return new DirectoryOwningReader(in, directory);
        }

        @Override
        protected void doClose() throws IOException {
            try {
                super.doClose();
            } finally {
                directory.close();
            }
        }

        @Override
        public CacheHelper getReaderCacheHelper() {
            return in.getReaderCacheHelper();
        }
    }

    /** Every generation, oldest first. */
    public List<Generation> generations() throws IOException {
        Path gens = dir.resolve(GENERATIONS);
        if (!Files.isDirectory(gens)) {
            return List.of();
        }
        List<Generation> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(gens)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p.resolve(GENERATION_FILE))) {
                    out.add(Generation.open(p));
                }
            }
        }
        return out;
    }

    /** The generation {@code id}; a clear error when there is none. */
    public Generation generation(String id) throws IOException {
        if (!id.matches("g\\d{4,}")) {
            throw new IllegalArgumentException("a generation id looks like g0001; got '" + id + "'");
        }
        Path p = dir.resolve(GENERATIONS).resolve(id);
        if (!Files.isRegularFile(p.resolve(GENERATION_FILE))) {
            throw new IllegalArgumentException("no generation '" + id + "' in " + dir);
        }
        return Generation.open(p);
    }

    /** The live generation, if a manifest exists. */
    public Optional<Generation> live() throws IOException {
        Optional<Manifest> m = manifest();
        return m.isEmpty() ? Optional.empty() : Optional.of(generation(m.get().live()));
    }

    /**
     * The generation ingestion writes: the live one, created (as {@code g0001}, live) when the index is new.
     * Refuses when the live generation was built with another shard count, model or chunker: that needs a new
     * generation, not a silent mix.
     */
    public Generation generationForIngest(int shards, String model, String chunker) throws IOException {
        return locked(() -> {
            Optional<Manifest> m = manifest();
            if (m.isEmpty()) {
                Generation g = createGeneration(shards, model, chunker, null, Map.of());
                writeManifest(new Manifest(g.id(), null, Manifest.Ingestion.RUNNING, 1, System.currentTimeMillis()));
                return g;
            }
            Generation g = generation(m.get().live());
            GenerationInfo info = g.info();
            if (info.shards() != shards) {
                throw new IllegalStateException("live generation " + g.id() + " has " + info.shards()
                        + " shards but the sink runs with parallelism " + shards + "; keep the parallelism or build a new generation");
            }
            if (!info.model().equals(model) || !info.chunker().equals(chunker)) {
                throw new IllegalStateException("live generation " + g.id() + " was built with model '" + info.model()
                        + "' and chunker '" + info.chunker() + "', but the job is configured with model '" + model
                        + "' and chunker '" + chunker + "'; build a new generation for a new model or chunker");
            }
            return g;
        });
    }

    private Generation createGeneration(int shards, String model, String chunker, String forkedFrom,
            Map<String, String> replayPositions) throws IOException {
        int next = 1;
        for (Generation g : generations()) {
            next = Math.max(next, Integer.parseInt(g.id().substring(1)) + 1);
        }
        String id = String.format("g%04d", next);
        Path gdir = dir.resolve(GENERATIONS).resolve(id);
        Files.createDirectories(gdir);
        GenerationInfo info = new GenerationInfo(id, shards, model, chunker, System.currentTimeMillis(), forkedFrom,
                replayPositions);
        JsonFiles.write(gdir.resolve(GENERATION_FILE), info);
        LOG.info("Created index generation {} ({} shards, model {}, chunker {})", id, shards, model, chunker);
        return new Generation(gdir, info);
    }

    /** One ingest run of a generation. */
    public record Run(String runId, int seq, long startedAtMillis) {}

    /**
     * The number of run {@code runId} in {@code generation}, registering it (as the next number) the first
     * time any shard asks. Shards of one run therefore agree on its number.
     */
    public int runSeq(Generation generation, String runId) throws IOException {
        Path file = generation.dir().resolve(RUNS_FILE);
        return locked(() -> {
            List<Run> runs = new ArrayList<>(readRuns(file));
            for (Run r : runs) {
                if (r.runId().equals(runId)) {
                    return r.seq();
                }
            }
            int seq = runs.stream().mapToInt(Run::seq).max().orElse(0) + 1;
            runs.add(new Run(runId, seq, System.currentTimeMillis()));
            JsonFiles.write(file, runs);
            return seq;
        });
    }

    private static List<Run> readRuns(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return JsonFiles.JSON.readValue(Files.readAllBytes(file), new TypeReference<List<Run>>() {});
    }

    /** Where an owner operation points: a generation's newest point, or one point of it. */
    public record Target(String generation, PointId point) {
        @Override
        public String toString() {
            return point == null ? generation : generation + "@" + point;
        }
    }

    /** Parses {@code g0002}, {@code g0002@1.57} or {@code 1.57} (a point of the live generation). */
    public Target parseTarget(String s) throws IOException {
        Objects.requireNonNull(s, "target");
        int at = s.indexOf('@');
        if (at >= 0) {
            return new Target(generation(s.substring(0, at)).id(), PointId.parse(s.substring(at + 1)));
        }
        if (s.startsWith("g")) {
            return new Target(generation(s).id(), null);
        }
        Generation live = live().orElseThrow(() -> new IllegalStateException("the index has no live generation yet"));
        return new Target(live.id(), PointId.parse(s));
    }

    /** What an owner operation did. */
    public record Outcome(AuditRecord audit, Manifest manifest) {}

    /**
     * Rolls live traffic back to {@code target}. With {@link AfterRollback#REPLAY} the target point is forked
     * into a new generation (its files hard-linked, so the old generation stays whole for a later roll forward),
     * the new generation goes live at that point, and ingestion restarts on it from the point's source
     * positions. With {@link AfterRollback#PAUSE} the service is pinned to the point and ingestion stops.
     */
    public Outcome rollback(String target, String reason, String actor, AfterRollback after) throws IOException {
        requireReason(reason);
        return locked(() -> {
            Manifest before = manifest().orElseThrow(() -> new IllegalStateException("the index has no live generation yet"));
            Target t = parseTarget(target);
            Generation g = generation(t.generation());
            if (!wasLive(g.id(), before)) {
                throw new IllegalStateException("generation " + g.id() + " has never been live: promote it (through the "
                        + "quality gate) instead of rolling back to it");
            }
            PointId point = t.point() != null ? t.point() : g.head()
                    .orElseThrow(() -> new IllegalArgumentException("generation " + g.id() + " has no published commit point"));
            CommitPoint p = g.point(point).orElseThrow(() -> new IllegalArgumentException("generation " + g.id()
                    + " has no commit point " + point + " (see `freshet index list`)"));
            Manifest after2;
            String to;
            if (after == AfterRollback.REPLAY) {
                Generation fork = fork(g, p);
                after2 = new Manifest(fork.id(), null, Manifest.Ingestion.RUNNING, before.epoch() + 1,
                        System.currentTimeMillis());
                to = fork.id() + "@" + point + " (fork of " + p.qualifiedId() + ")";
            } else {
                after2 = new Manifest(g.id(), point.toString(), Manifest.Ingestion.PAUSED, before.epoch() + 1,
                        System.currentTimeMillis());
                to = p.qualifiedId();
            }
            AuditRecord audit = new AuditRecord(System.currentTimeMillis(), actor, "rollback", served(before), to,
                    after == AfterRollback.REPLAY ? "replay" : "paused", reason);
            JsonFiles.appendLine(dir.resolve(AUDIT), audit);
            writeManifest(after2);
            return new Outcome(audit, after2);
        });
    }

    /**
     * Attaches an evaluation report ({@code freshet eval}) to {@code generation} and checks it against
     * {@code gate} (and the live generation's report); both are kept in the generation's directory.
     */
    public GateResult attachEvaluation(String generation, JsonNode report, QualityGate gate) throws IOException {
        if (report == null || !report.path("modes").isObject()) {
            throw new IllegalArgumentException("not a freshet eval report (no 'modes')");
        }
        return locked(() -> {
            Generation g = generation(generation);
            JsonFiles.write(g.dir().resolve(EVALUATION_FILE), report);
            return checkGate(g, gate);
        });
    }

    /** The evaluation report attached to {@code g}, if any. */
    public Optional<JsonNode> evaluation(Generation g) throws IOException {
        return JsonFiles.read(g.dir().resolve(EVALUATION_FILE), JsonNode.class);
    }

    /** The last quality gate result of {@code g}, if it was checked. */
    public Optional<GateResult> gate(Generation g) throws IOException {
        return JsonFiles.read(g.dir().resolve(GATE_FILE), GateResult.class);
    }

    private GateResult checkGate(Generation g, QualityGate gate) throws IOException {
        Optional<Generation> live = live();
        Optional<JsonNode> liveReport = live.isPresent() && !live.get().id().equals(g.id())
                ? evaluation(live.get()) : Optional.empty();
        GateResult result = gate.check(g.id(), evaluation(g), liveReport);
        JsonFiles.write(g.dir().resolve(GATE_FILE), result);
        return result;
    }

    /**
     * Makes {@code generation} live at its newest point once its evaluation report clears {@code gate};
     * ingestion continues it from that point's positions. The gate's result is kept with the generation
     * either way; a required gate that fails refuses the promotion.
     */
    public Outcome promote(String generation, String reason, String actor, QualityGate gate) throws IOException {
        requireReason(reason);
        return locked(() -> {
            Generation g = generation(generation);
            GateResult result = checkGate(g, gate);
            if (gate.required() && !result.passed()) {
                throw new IllegalStateException("generation " + g.id() + " did not pass the quality gate: " + result.summary());
            }
            return switchTo(g, "promote", reason, actor);
        });
    }

    private Outcome switchTo(Generation g, String action, String reason, String actor) throws IOException {
        Manifest before = manifest().orElseThrow(() -> new IllegalStateException("the index has no live generation yet"));
        PointId head = g.head().orElseThrow(() -> new IllegalArgumentException("generation " + g.id()
                + " has no published commit point; it cannot serve"));
        CommitPoint p = g.point(head).orElseThrow();
        JsonFiles.write(g.dir().resolve(GENERATION_FILE), g.info().withReplayPositions(p.positions()));
        Manifest after = new Manifest(g.id(), null, Manifest.Ingestion.RUNNING, before.epoch() + 1,
                System.currentTimeMillis());
        AuditRecord audit = new AuditRecord(System.currentTimeMillis(), actor, action, served(before),
                p.qualifiedId(), "replay", reason);
        JsonFiles.appendLine(dir.resolve(AUDIT), audit);
        writeManifest(after);
        return new Outcome(audit, after);
    }

    /**
     * Unpins the live generation and restarts ingestion on it from its newest point. It stays the generation
     * it is, so no quality gate applies.
     */
    public Outcome resume(String reason, String actor) throws IOException {
        requireReason(reason);
        return locked(() -> {
            Manifest before = manifest().orElseThrow(() -> new IllegalStateException("the index has no live generation yet"));
            return switchTo(generation(before.live()), "resume", reason, actor);
        });
    }

    /**
     * Whether {@code id} is or was the live generation: the live one, or one an owner operation switched from
     * or to. Rollback only returns to such generations; a new one goes live through {@link #promote}'s gate.
     */
    private boolean wasLive(String id, Manifest now) throws IOException {
        if (now.live().equals(id)) {
            return true;
        }
        for (AuditRecord r : audit()) {
            if (generationOf(r.from()).equals(id) || generationOf(r.to()).equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** The generation of an audit record's {@code from} or {@code to}: {@code g0002@1.7 (fork of ...)} is g0002. */
    private static String generationOf(String served) {
        String s = served == null ? "" : served.trim();
        int end = 0;
        while (end < s.length() && s.charAt(end) != '@' && s.charAt(end) != ' ') {
            end++;
        }
        return s.substring(0, end);
    }

    /** Every audit record, oldest first. */
    public List<AuditRecord> audit() throws IOException {
        Path file = dir.resolve(AUDIT);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<AuditRecord> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JsonFiles.JSON.readValue(line, AuditRecord.class));
            } catch (IOException e) {
                LOG.warn("Skipping a torn audit line in {}: {}", file, line);
            }
        }
        return out;
    }

    private static String served(Manifest m) {
        return m.pinned() == null ? m.live() : m.live() + "@" + m.pinned();
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required (--reason \"...\"); it goes into the audit log");
        }
    }

    /**
     * Copies commit point {@code p} of {@code from} into a new generation by hard-linking each shard's commit
     * files (Lucene never changes a written file), publishes it, and records the point's source positions as
     * where ingestion of the new generation starts.
     */
    private Generation fork(Generation from, CommitPoint p) throws IOException {
        GenerationInfo info = from.info();
        Generation fork = createGeneration(info.shards(), info.model(), info.chunker(), p.qualifiedId(), p.positions());
        List<Run> runs = new ArrayList<>();
        for (int s = 0; s < info.shards(); s++) {
            Path src = from.shardDir(s);
            Path dst = fork.shardDir(s);
            Files.createDirectories(dst);
            try (Directory d = FSDirectory.open(src)) {
                Generation.ShardCommit c = from.commitAt(d, s, p.id());
                IndexCommit commit = c.commit();
                for (String file : commit.getFileNames()) {
                    link(src.resolve(file), dst.resolve(file));
                }
                JsonFiles.fsyncDirectory(dst);
                fork.publish(s, new PublishedMarker(c.data().runId(), p.id().run(), p.id().checkpoint(),
                        commit.getGeneration(), System.currentTimeMillis()));
                if (runs.stream().noneMatch(r -> r.runId().equals(c.data().runId()))) {
                    runs.add(new Run(c.data().runId(), p.id().run(), System.currentTimeMillis()));
                }
            }
        }
        JsonFiles.write(fork.dir().resolve(RUNS_FILE), runs);
        return fork;
    }

    private static void link(Path src, Path dst) throws IOException {
        try {
            Files.createLink(dst, src);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(src, dst);
        }
    }

    /** Work done under the root's owner lock: exclusive across threads of this JVM and across processes. */
    @FunctionalInterface
    private interface Locked<T> {
        T run() throws IOException;
    }

    private static final Object JVM_LOCK = new Object();

    private <T> T locked(Locked<T> body) throws IOException {
        Files.createDirectories(dir);
        synchronized (JVM_LOCK) {
            try (FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = ch.lock()) {
                return body.run();
            }
        }
    }
}
