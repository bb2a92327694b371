package io.freshet.jobs.ingest;

import io.freshet.core.ChangeOp;
import io.freshet.core.SourceChange;
import io.freshet.core.SourceDocument;
import io.freshet.core.dedup.MinHash;
import io.freshet.core.dedup.NearDuplicateIndex;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code dedup} step, across all documents (one key, parallelism 1, in source order): each upsert's body is
 * compared with the bodies of the other documents of the same tenant and the same ACL, exactly (SHA-256 of its
 * normalised words: case, punctuation and spacing do not count) and approximately (MinHash over word shingles,
 * LSH candidates, estimated Jaccard similarity at or above {@code dedup.near-threshold}). A duplicate is indexed
 * with metadata {@value #KIND} ({@code exact} or {@code near}), {@value #SIMILARITY} and, for an exact duplicate,
 * {@value #GROUP} (the hash of the normalised body, the same for every copy).
 *
 * <p>In {@code link} (exact) and {@code skip} (near) modes the copy also carries {@value #LINKED_TO}, the id of
 * its canonical (the first of its kind seen; links never chain), and with {@code dedup.exact: link} every document
 * carries {@value #GROUP}. Retrieval then serves a canonical and its copies as one hit, listing the other
 * documents' ids the caller may see (see {@code ChunkSearcher}); an exact copy is folded only into a document
 * with the same body, so a canonical edited since does not hide its former copies. The copy itself stays
 * indexed with its own permissions and lifecycle, so nothing is lost when the canonical is deleted, dropped by
 * redaction or dead-lettered: the copy is then served in its place.
 *
 * <p>Only documents with the same tenant and ACL are compared, so when a copy is flagged its readers may see
 * the canonical too; {@value #LINKED_TO} (an id) is never returned with a hit nor accepted as a filter, and a
 * hit lists only the copies its caller may see. (If the canonical's permissions narrow later, the copy's flag
 * still says that a twin exists, not which.) Flags describe the index when
 * the copy was written; a later change of the canonical does not rewrite its copies' flags (an edited canonical
 * no longer matches its exact copies' body; a near copy stays linked until it changes itself). A canonical
 * upserted again with the same body stays canonical. Switching a mode off or back to {@code flag} applies to
 * documents as they change.
 *
 * <p>State: per document, its hashes, signature and verdict (about 0.6 KB); counts {@code duplicatesExact} and
 * {@code duplicatesNear}.
 */
public final class DedupFunction extends KeyedProcessFunction<String, SourceChange, SourceChange> {

    private static final long serialVersionUID = 1L;

    /** The one key of the dedup step. */
    public static final String KEY = "dedup";
    /** Metadata: {@code exact} or {@code near}. */
    public static final String KIND = io.freshet.index.schema.ChunkSchema.DUPLICATE_KEY;
    /** Metadata of an exact duplicate: the hash of its normalised body, the same for every copy. */
    public static final String GROUP = io.freshet.index.schema.ChunkSchema.DUPLICATE_GROUP_KEY;
    /** Metadata: the estimated similarity to the canonical (1 for an exact duplicate). */
    public static final String SIMILARITY = "freshet.duplicate-similarity";
    /**
     * Metadata of a duplicate in {@code link} or {@code skip} mode: the id of its canonical, under which retrieval
     * serves the canonical and its copies as one hit.
     */
    public static final String LINKED_TO = io.freshet.index.schema.ChunkSchema.LINKED_TO_KEY;

    /** What to do with a duplicate. */
    public enum Mode {
        /** Not looked for. */
        OFF,
        /** Indexed and marked. */
        FLAG,
        /** Exact copies: indexed, marked and linked to the canonical; retrieval serves them as one hit. */
        LINK,
        /** Near copies: indexed, marked and linked to the canonical; retrieval serves them as one hit. */
        SKIP;

        /** True when a copy is linked to its canonical. */
        boolean links() {
            return this == LINK || this == SKIP;
        }

        static Mode of(String key, String value, Mode linking) {
            String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            if (v.equals("off")) {
                return OFF;
            }
            if (v.equals("flag")) {
                return FLAG;
            }
            if (v.equals(linking.name().toLowerCase(Locale.ROOT))) {
                return linking;
            }
            throw new IllegalArgumentException(key + " must be off, flag or " + linking.name().toLowerCase(Locale.ROOT)
                    + "; got '" + value + "'");
        }
    }

    /**
     * The dedup settings.
     *
     * @param exact what to do with exact duplicates ({@code dedup.exact}: off, flag, link)
     * @param near what to do with near duplicates ({@code dedup.near}: off, flag, skip)
     * @param nearThreshold least estimated Jaccard similarity of a near duplicate
     * @param shingleWords words per shingle
     */
    public record Policy(Mode exact, Mode near, double nearThreshold, int shingleWords) implements Serializable {
        public static final Policy OFF = new Policy(Mode.OFF, Mode.OFF, 0.9, 3);

        public Policy {
            Objects.requireNonNull(exact, "exact");
            Objects.requireNonNull(near, "near");
            if (exact == Mode.SKIP || near == Mode.LINK) {
                throw new IllegalArgumentException("dedup.exact takes link and dedup.near takes skip; got " + exact
                        + " and " + near);
            }
            new NearDuplicateIndex(SIGNATURE, nearThreshold); // validates
            new MinHash(SIGNATURE, shingleWords);
        }

        /** Parses the configured modes. */
        public static Policy of(String exact, String near, double nearThreshold, int shingleWords) {
            return new Policy(Mode.of("dedup.exact", exact, Mode.LINK), Mode.of("dedup.near", near, Mode.SKIP),
                    nearThreshold, shingleWords);
        }

        /** True when the step does anything. */
        public boolean enabled() {
            return exact != Mode.OFF || near != Mode.OFF;
        }
    }

    static final int SIGNATURE = 128;
    private static final int STATE_VERSION = 2;

    /** The verdict kept for documents judged before verdicts were kept (state version 1). */
    private static final String UNKNOWN = "?";

    /**
     * What the step keeps of a document: its body's exact hash, its viewers' key, its signature and its verdict:
     * the canonical it copies ({@code ""} when it is no copy), how ({@code kind}: exact, near, {@code ""} for a
     * canonical, {@value #UNKNOWN} when not known) and how closely.
     */
    private record Entry(byte[] exact, byte[] viewers, int[] signature, String canonical, String kind,
            float similarity) {
        boolean isCopy() {
            return !canonical.isEmpty();
        }

        boolean isCanonical() {
            return kind.isEmpty();
        }

        Entry asCopyOf(String canonicalId, String how, float similarityToIt) {
            return new Entry(exact, viewers, signature, canonicalId, how, similarityToIt);
        }
    }

    private final Policy policy;
    private transient MinHash minHash;
    private transient MapState<String, byte[]> entriesState;
    private transient Map<String, Entry> entries;
    /** Per viewers (tenant and ACL): documents by exact hash, and the near-duplicate index. */
    private transient Map<String, Map<String, Set<String>>> byExact;
    private transient Map<String, NearDuplicateIndex> near;
    private transient Counter exactCount;
    private transient Counter nearCount;

    public DedupFunction(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public void open(OpenContext openContext) {
        minHash = new MinHash(SIGNATURE, policy.shingleWords());
        entriesState = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("dedup-entries", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        exactCount = getRuntimeContext().getMetricGroup().counter("duplicatesExact");
        nearCount = getRuntimeContext().getMetricGroup().counter("duplicatesNear");
    }

    /** Rebuilds the in-memory indexes from state (after a start or restore), under the one key. */
    private void load() throws Exception {
        if (entries != null) {
            return;
        }
        entries = new HashMap<>();
        byExact = new HashMap<>();
        near = new HashMap<>();
        for (Map.Entry<String, byte[]> e : entriesState.entries()) {
            remember(e.getKey(), decode(e.getValue()));
        }
    }

    @Override
    public void processElement(SourceChange change, Context ctx, Collector<SourceChange> out) throws Exception {
        load();
        if (change.op() == ChangeOp.SNAPSHOT_COMPLETED) {
            out.collect(change);
            return;
        }
        String id = change.documentId();
        Entry old = entries.get(id);
        forget(id);
        if (!change.op().isUpsert()) {
            if (old != null) {
                entriesState.remove(id);
            }
            out.collect(change);
            return;
        }
        SourceDocument doc = change.document();
        byte[] exact = exactHash(doc.body());
        byte[] viewers = DocumentState.aclKey(doc);
        int[] signature = policy.near() == Mode.OFF ? new int[0] : minHash.signature(doc.body()); // no shingling when unused
        Entry entry = new Entry(exact, viewers, signature, "", "", 0f);
        if (old == null || !old.isCanonical() || !Arrays.equals(old.exact(), exact) || !Arrays.equals(old.viewers(), viewers)) {
            entry = judge(id, entry); // else a canonical stays one
        }
        entriesState.put(id, encode(entry));
        remember(id, entry);
        Map<String, String> metadata = new TreeMap<>(doc.metadata());
        if (policy.exact() == Mode.LINK) {
            metadata.put(GROUP, HexFormat.of().formatHex(exact)); // retrieval folds exact copies by body
        }
        if (entry.isCopy()) {
            boolean isExact = entry.kind().equals("exact");
            if (old == null || !old.isCopy()) { // copies found, not their later upserts
                (isExact ? exactCount : nearCount).inc();
            }
            metadata.put(KIND, entry.kind());
            metadata.put(SIMILARITY, String.format(Locale.ROOT, "%.3f", entry.similarity()));
            if (isExact) {
                metadata.put(GROUP, HexFormat.of().formatHex(exact));
            }
            if ((isExact ? policy.exact() : policy.near()).links()) {
                metadata.put(LINKED_TO, entry.canonical());
            }
        }
        if (metadata.equals(doc.metadata())) {
            out.collect(change);
            return;
        }
        SourceDocument flagged = new SourceDocument(doc.id(), doc.title(), doc.body(), doc.acl(), doc.tenant(),
                doc.updatedAtMillis(), metadata);
        out.collect(new SourceChange(change.op(), id, flagged, change.source(), change.position(),
                change.sourceTimeMillis(), change.snapshotStartMillis()));
    }

    /**
     * The verdict on document {@code id} (not held now; {@code self} is it as a canonical): a copy of which
     * canonical, if any. An exact twin lends its own verdict (a twin of a near copy is a near copy of the same
     * canonical); links never chain, and a document is never a copy of itself.
     */
    private Entry judge(String id, Entry self) {
        String viewersKey = HexFormat.of().formatHex(self.viewers());
        Entry verdict = self;
        if (policy.exact() != Mode.OFF) {
            Set<String> same = byExact.getOrDefault(viewersKey, Map.of())
                    .getOrDefault(HexFormat.of().formatHex(self.exact()), Set.of());
            String twin = null;
            for (String candidate : same) { // by preference, then id: set order is lost on restore
                int r = twin == null ? 0 : Integer.compare(rank(entries.get(candidate)), rank(entries.get(twin)));
                if (twin == null || r < 0 || r == 0 && candidate.compareTo(twin) < 0) {
                    twin = candidate;
                }
            }
            if (twin != null) {
                Entry t = entries.get(twin);
                if (!t.isCopy()) {
                    verdict = self.asCopyOf(twin, "exact", 1f);
                } else if (t.kind().equals("exact")) {
                    verdict = self.asCopyOf(t.canonical(), "exact", 1f);
                } else if (policy.near() == Mode.OFF || policy.exact().links() && !policy.near().links()) {
                    verdict = self.asCopyOf(twin, "exact", 1f); // its twin's near link is not in force: no chain
                } else {
                    verdict = self.asCopyOf(t.canonical(), "near", t.similarity()); // as its twin is
                }
            }
        }
        if (!verdict.isCopy() && policy.near() != Mode.OFF && near.containsKey(viewersKey)) {
            Optional<NearDuplicateIndex.Match> m = near.get(viewersKey).best(id, self.signature(), x -> true);
            if (m.isPresent()) {
                Entry match = entries.get(m.get().id());
                verdict = self.asCopyOf(match.isCopy() ? match.canonical() : m.get().id(), "near",
                        (float) m.get().similarity());
            }
        }
        return verdict.isCopy() && verdict.canonical().equals(id) ? self : verdict; // never its own copy's copy
    }

    /** Order of preference for an exact twin: a canonical, one not known, an exact copy, a near copy. */
    private static int rank(Entry e) {
        return e.isCanonical() ? 0 : !e.isCopy() ? 1 : e.kind().equals("exact") ? 2 : 3;
    }

    /** Drops {@code id} from the in-memory indexes (an upsert then overwrites its state; a delete removes it). */
    private void forget(String id) {
        Entry old = entries.remove(id);
        if (old == null) {
            return;
        }
        String viewers = HexFormat.of().formatHex(old.viewers());
        Map<String, Set<String>> exact = byExact.get(viewers);
        if (exact != null) {
            String key = HexFormat.of().formatHex(old.exact());
            Set<String> same = exact.get(key);
            if (same != null && same.remove(id) && same.isEmpty()) {
                exact.remove(key);
            }
            if (exact.isEmpty()) {
                byExact.remove(viewers);
            }
        }
        NearDuplicateIndex index = near.get(viewers);
        if (index != null) {
            index.remove(id);
            if (index.size() == 0) {
                near.remove(viewers);
            }
        }
    }

    private void remember(String id, Entry entry) {
        entries.put(id, entry);
        String viewers = HexFormat.of().formatHex(entry.viewers());
        byExact.computeIfAbsent(viewers, k -> new HashMap<>())
                .computeIfAbsent(HexFormat.of().formatHex(entry.exact()), k -> new LinkedHashSet<>()).add(id);
        if (policy.near() != Mode.OFF && entry.signature().length == SIGNATURE) { // kept while near was off: none
            near.computeIfAbsent(viewers, k -> new NearDuplicateIndex(SIGNATURE, policy.nearThreshold()))
                    .put(id, entry.signature());
        }
    }

    /** SHA-256 of the body's normalised words (case, punctuation and spacing do not count), cut to 16 bytes. */
    static byte[] exactHash(String body) {
        return Arrays.copyOf(sha256(String.join(" ", MinHash.words(body))), 16);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static byte[] encode(Entry e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + SIGNATURE * 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(STATE_VERSION);
            out.write(e.exact());
            out.write(e.viewers());
            out.writeShort(e.signature().length);
            for (int v : e.signature()) {
                out.writeInt(v);
            }
            out.writeUTF(e.canonical());
            out.writeUTF(e.kind());
            out.writeFloat(e.similarity());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    private static Entry decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != 1 && version != STATE_VERSION) {
                throw new IllegalStateException("dedup state version " + version + " is not known (this code reads "
                        + "1 to " + STATE_VERSION + ")");
            }
            byte[] exact = in.readNBytes(16);
            byte[] viewers = in.readNBytes(32);
            int[] sig = new int[in.readUnsignedShort()];
            for (int i = 0; i < sig.length; i++) {
                sig[i] = in.readInt();
            }
            // version 1 kept no verdict: judged again when upserted again, a canonical until then
            String canonical = version == 1 ? "" : in.readUTF();
            String kind = version == 1 ? UNKNOWN : in.readUTF();
            float similarity = version == 1 ? 0f : in.readFloat();
            if (in.read() != -1) {
                throw new IllegalStateException("corrupt dedup state: bytes after the verdict");
            }
            return new Entry(exact, viewers, sig, canonical, kind, similarity);
        } catch (IOException x) {
            throw new UncheckedIOException("corrupt dedup state", x);
        }
    }
}
