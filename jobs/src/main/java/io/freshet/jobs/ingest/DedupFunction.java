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
 * {@value #GROUP} (the hash of the normalised body, the same for every copy), so clients can collapse copies.
 *
 * <p>Only documents with the same tenant and ACL are compared: the flags then tell a reader nothing about
 * documents they may not see (a copy elsewhere, or its id). Flags describe the index when the copy was
 * written; a later change of the original does not rewrite the copy's flags.
 *
 * <p>State: per document, its hashes and signature (about 0.6 KB); counts {@code duplicatesExact} and
 * {@code duplicatesNear}.
 */
public final class DedupFunction extends KeyedProcessFunction<String, SourceChange, SourceChange> {

    private static final long serialVersionUID = 1L;

    /** The one key of the dedup step. */
    public static final String KEY = "dedup";
    /** Metadata: {@code exact} or {@code near}. */
    public static final String KIND = "freshet.duplicate";
    /** Metadata of an exact duplicate: the hash of its normalised body, the same for every copy. */
    public static final String GROUP = "freshet.duplicate-group";
    /** Metadata: the estimated similarity to the canonical (1 for an exact duplicate). */
    public static final String SIMILARITY = "freshet.duplicate-similarity";

    /** What to do with a duplicate. */
    public enum Mode {
        OFF, FLAG;

        /** {@code off} or {@code flag}. */
        static Mode of(String key, String value) {
            return switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
                case "off" -> OFF;
                case "flag" -> FLAG;
                default -> throw new IllegalArgumentException(key + " must be off or flag; got '" + value + "'");
            };
        }
    }

    /**
     * The dedup settings.
     *
     * @param exact what to do with exact duplicates ({@code dedup.exact}: off, flag)
     * @param near what to do with near duplicates ({@code dedup.near}: off, flag)
     * @param nearThreshold least estimated Jaccard similarity of a near duplicate
     * @param shingleWords words per shingle
     */
    public record Policy(Mode exact, Mode near, double nearThreshold, int shingleWords) implements Serializable {
        public static final Policy OFF = new Policy(Mode.OFF, Mode.OFF, 0.9, 3);

        public Policy {
            Objects.requireNonNull(exact, "exact");
            Objects.requireNonNull(near, "near");
            new NearDuplicateIndex(SIGNATURE, nearThreshold); // validates
            new MinHash(SIGNATURE, shingleWords);
        }

        /** Parses the configured modes. */
        public static Policy of(String exact, String near, double nearThreshold, int shingleWords) {
            return new Policy(Mode.of("dedup.exact", exact), Mode.of("dedup.near", near), nearThreshold, shingleWords);
        }

        /** True when the step does anything. */
        public boolean enabled() {
            return exact != Mode.OFF || near != Mode.OFF;
        }
    }

    static final int SIGNATURE = 128;
    private static final int STATE_VERSION = 1;

    /** What the step keeps of a document: its body's exact hash, its viewers' key and its signature. */
    private record Entry(byte[] exact, byte[] viewers, int[] signature) {}

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
        forget(id);
        if (!change.op().isUpsert()) {
            out.collect(change);
            return;
        }
        SourceDocument doc = change.document();
        Entry entry = new Entry(exactHash(doc.body()), DocumentState.aclKey(doc),
                policy.near() == Mode.OFF ? new int[0] : minHash.signature(doc.body())); // no shingling when unused
        String viewers = HexFormat.of().formatHex(entry.viewers());
        String exactKey = HexFormat.of().formatHex(entry.exact());
        String kind = null;
        double similarity = 0;
        if (policy.exact() != Mode.OFF
                && !byExact.getOrDefault(viewers, Map.of()).getOrDefault(exactKey, Set.of()).isEmpty()) {
            kind = "exact";
            similarity = 1;
        } else if (policy.near() != Mode.OFF && near.containsKey(viewers)) {
            Optional<NearDuplicateIndex.Match> m = near.get(viewers).best(id, entry.signature(), x -> true);
            if (m.isPresent()) {
                kind = "near";
                similarity = m.get().similarity();
            }
        }
        entriesState.put(id, encode(entry));
        remember(id, entry);
        if (kind == null) {
            out.collect(change);
            return;
        }
        (kind.equals("exact") ? exactCount : nearCount).inc();
        Map<String, String> metadata = new TreeMap<>(doc.metadata());
        metadata.put(KIND, kind);
        metadata.put(SIMILARITY, String.format(Locale.ROOT, "%.3f", similarity));
        if (kind.equals("exact")) {
            metadata.put(GROUP, exactKey);
        }
        SourceDocument flagged = new SourceDocument(doc.id(), doc.title(), doc.body(), doc.acl(), doc.tenant(),
                doc.updatedAtMillis(), metadata);
        out.collect(new SourceChange(change.op(), id, flagged, change.source(), change.position(),
                change.sourceTimeMillis(), change.snapshotStartMillis()));
    }

    /** Drops {@code id} from the indexes and state. */
    private void forget(String id) throws Exception {
        Entry old = entries.remove(id);
        if (old == null) {
            return;
        }
        entriesState.remove(id);
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
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    private static Entry decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != STATE_VERSION) {
                throw new IllegalStateException("dedup state version " + version + " is not known (this code reads "
                        + STATE_VERSION + ")");
            }
            byte[] exact = in.readNBytes(16);
            byte[] viewers = in.readNBytes(32);
            int[] sig = new int[in.readUnsignedShort()];
            for (int i = 0; i < sig.length; i++) {
                sig[i] = in.readInt();
            }
            if (in.read() != -1) {
                throw new IllegalStateException("corrupt dedup state: bytes after the signature");
            }
            return new Entry(exact, viewers, sig);
        } catch (IOException x) {
            throw new UncheckedIOException("corrupt dedup state", x);
        }
    }
}
