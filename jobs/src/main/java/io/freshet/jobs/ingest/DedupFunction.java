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
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code dedup} step, across all documents (one key, parallelism 1): each upsert's body is compared with
 * every indexed document's, exactly (SHA-256 of its normalised words) and approximately (MinHash over word
 * shingles, LSH candidates, estimated Jaccard similarity at or above {@code dedup.near-threshold}).
 *
 * <p>A duplicate of an indexed document (its canonical: the first indexed of its group) is, per mode:
 * <ul>
 *   <li>{@code flag}: indexed, with metadata {@value #KIND} ({@code exact} or {@code near}), {@value #GROUP}
 *       (a hash naming the canonical, so clients can collapse a group), {@value #SIMILARITY}, and
 *       {@value #OF} (the canonical's id) only when both have the same tenant and ACL, so no id is shown to
 *       someone who may not see that document;
 *   <li>{@code link} (exact) / {@code skip} (near): not indexed (any older version is deleted) but linked to
 *       the canonical, when both have the same tenant and ACL; otherwise flagged, since collapsing would hide
 *       content from someone allowed to see this copy. When the canonical is deleted or changes, its linked
 *       duplicates are taken up again (one may become the new canonical), so nothing is lost.
 * </ul>
 * State: per document, its hashes, signature and link (about 0.6 KB), and the latest change of each linked
 * duplicate; counts {@code duplicatesExact}, {@code duplicatesNear}, {@code duplicatesLinked}.
 */
public final class DedupFunction extends KeyedProcessFunction<String, SourceChange, SourceChange> {

    private static final long serialVersionUID = 1L;

    /** The one key of the dedup step. */
    public static final String KEY = "dedup";
    /** Metadata: {@code exact} or {@code near}. */
    public static final String KIND = "freshet.duplicate";
    /** Metadata: a hash naming the duplicate's canonical document. */
    public static final String GROUP = "freshet.duplicate-group";
    /** Metadata: the estimated similarity to the canonical (1 for an exact duplicate). */
    public static final String SIMILARITY = "freshet.duplicate-similarity";
    /** Metadata: the canonical's id, when the duplicate has the same tenant and ACL. */
    public static final String OF = "freshet.duplicate-of";

    /** What to do with a duplicate. */
    public enum Mode {
        OFF, FLAG, COLLAPSE;

        /** {@code off}, {@code flag} or {@code collapse} (named {@code link} for exact, {@code skip} for near duplicates). */
        static Mode of(String key, String value, String collapse) {
            String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "off" -> OFF;
                case "flag" -> FLAG;
                default -> {
                    if (v.equals(collapse)) {
                        yield COLLAPSE;
                    }
                    throw new IllegalArgumentException(key + " must be off, flag or " + collapse + "; got '" + value + "'");
                }
            };
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
            new NearDuplicateIndex(SIGNATURE, nearThreshold); // validates
            new MinHash(SIGNATURE, shingleWords);
        }

        /** Parses the configured modes. */
        public static Policy of(String exact, String near, double nearThreshold, int shingleWords) {
            return new Policy(Mode.of("dedup.exact", exact, "link"), Mode.of("dedup.near", near, "skip"), nearThreshold,
                    shingleWords);
        }

        /** True when the step does anything. */
        public boolean enabled() {
            return exact != Mode.OFF || near != Mode.OFF;
        }
    }

    static final int SIGNATURE = 128;
    private static final int STATE_VERSION = 1;

    /** What the step keeps of a document. */
    private record Entry(byte[] exact, byte[] acl, String canonical, int[] signature) {
        boolean linked() {
            return !canonical.isEmpty();
        }
    }

    private final Policy policy;
    private transient MinHash minHash;
    private transient MapState<String, byte[]> entriesState;
    private transient MapState<String, SourceChange> linkedChanges;
    private transient Map<String, Entry> entries;
    private transient Map<String, Set<String>> byExact; // indexed documents only
    private transient NearDuplicateIndex near; // indexed documents only
    private transient Map<String, Set<String>> members; // canonical -> linked duplicates
    private transient Counter exactCount;
    private transient Counter nearCount;
    private transient Counter linkedCount;

    public DedupFunction(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public void open(OpenContext openContext) {
        minHash = new MinHash(SIGNATURE, policy.shingleWords());
        entriesState = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("dedup-entries", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        linkedChanges = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("dedup-linked", Types.STRING, TypeInformation.of(SourceChange.class)));
        exactCount = getRuntimeContext().getMetricGroup().counter("duplicatesExact");
        nearCount = getRuntimeContext().getMetricGroup().counter("duplicatesNear");
        linkedCount = getRuntimeContext().getMetricGroup().counter("duplicatesLinked");
    }

    /** Rebuilds the in-memory indexes from state (after a start or restore), under the one key. */
    private void load() throws Exception {
        if (entries != null) {
            return;
        }
        entries = new HashMap<>();
        byExact = new HashMap<>();
        near = new NearDuplicateIndex(SIGNATURE, policy.nearThreshold());
        members = new HashMap<>();
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
        apply(change, out);
    }

    private void apply(SourceChange change, Collector<SourceChange> out) throws Exception {
        String id = change.documentId();
        Set<String> orphans = forget(id);
        if (!change.op().isUpsert()) {
            linkedChanges.remove(id);
            out.collect(change);
        } else {
            place(change, out);
        }
        for (String orphan : orphans) { // their canonical is gone or changed: take them up again
            SourceChange again = linkedChanges.get(orphan);
            if (again != null) {
                forget(orphan);
                linkedChanges.remove(orphan);
                apply(again, out);
            }
        }
    }

    /** Compares an upsert with the indexed documents and emits what to index (or a delete, when linked). */
    private void place(SourceChange change, Collector<SourceChange> out) throws Exception {
        String id = change.documentId();
        SourceDocument doc = change.document();
        byte[] exact = exactHash(doc.body());
        byte[] acl = DocumentState.aclKey(doc);
        int[] signature = minHash.signature(doc.body());
        String match = null;
        double similarity = 0;
        Mode mode = Mode.OFF;
        boolean isExact = false;
        if (policy.exact() != Mode.OFF) {
            Set<String> same = byExact.getOrDefault(HexFormat.of().formatHex(exact), Set.of());
            match = same.stream().filter(m -> Arrays.equals(entries.get(m).acl(), acl)).findFirst()
                    .orElse(same.isEmpty() ? null : same.iterator().next());
            if (match != null) {
                similarity = 1;
                mode = policy.exact();
                isExact = true;
            }
        }
        if (match == null && policy.near() != Mode.OFF) {
            Optional<NearDuplicateIndex.Match> m = near.best(id, signature, x -> true);
            if (m.isPresent()) {
                match = m.get().id();
                similarity = m.get().similarity();
                mode = policy.near();
            }
        }
        boolean sameViewers = match != null && Arrays.equals(entries.get(match).acl(), acl);
        if (match != null && mode == Mode.COLLAPSE && sameViewers) {
            Entry entry = new Entry(exact, acl, match, signature);
            store(id, entry);
            linkedChanges.put(id, change);
            (isExact ? exactCount : nearCount).inc();
            linkedCount.inc();
            // not indexed: any version indexed before goes
            out.collect(new SourceChange(ChangeOp.DELETE, id, null, change.source(), change.position(),
                    change.sourceTimeMillis(), 0L));
            return;
        }
        store(id, new Entry(exact, acl, "", signature));
        if (match != null && mode != Mode.OFF) {
            (isExact ? exactCount : nearCount).inc();
            Map<String, String> metadata = new TreeMap<>(doc.metadata());
            metadata.put(KIND, isExact ? "exact" : "near");
            metadata.put(GROUP, groupOf(match, doc.tenant()));
            metadata.put(SIMILARITY, String.format(Locale.ROOT, "%.3f", similarity));
            if (sameViewers) {
                metadata.put(OF, match);
            }
            SourceDocument flagged = new SourceDocument(doc.id(), doc.title(), doc.body(), doc.acl(), doc.tenant(),
                    doc.updatedAtMillis(), metadata);
            out.collect(new SourceChange(change.op(), id, flagged, change.source(), change.position(),
                    change.sourceTimeMillis(), change.snapshotStartMillis()));
            return;
        }
        out.collect(change);
    }

    /** Drops {@code id} from the indexes and state; returns the duplicates linked to it, now without a canonical. */
    private Set<String> forget(String id) throws Exception {
        Entry old = entries.remove(id);
        if (old == null) {
            return Set.of();
        }
        entriesState.remove(id);
        if (old.linked()) {
            Set<String> m = members.get(old.canonical());
            if (m != null) {
                m.remove(id);
            }
            return Set.of();
        }
        String key = HexFormat.of().formatHex(old.exact());
        Set<String> same = byExact.get(key);
        if (same != null) {
            same.remove(id);
            if (same.isEmpty()) {
                byExact.remove(key);
            }
        }
        near.remove(id);
        Set<String> orphans = members.remove(id);
        return orphans == null ? Set.of() : new LinkedHashSet<>(orphans);
    }

    private void store(String id, Entry entry) throws Exception {
        entriesState.put(id, encode(entry));
        remember(id, entry);
    }

    private void remember(String id, Entry entry) {
        entries.put(id, entry);
        if (entry.linked()) {
            members.computeIfAbsent(entry.canonical(), k -> new LinkedHashSet<>()).add(id);
        } else {
            byExact.computeIfAbsent(HexFormat.of().formatHex(entry.exact()), k -> new LinkedHashSet<>()).add(id);
            near.put(id, entry.signature());
        }
    }

    /** The group a canonical document names: a hash, so the id itself is not shown. */
    static String groupOf(String canonical, String tenant) {
        return HexFormat.of().formatHex(sha256(tenant + "\u0000" + canonical), 0, 8);
    }

    /** SHA-256 of the body's normalised words (case, punctuation and spacing do not count). */
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
            out.write(e.acl());
            out.writeUTF(e.canonical());
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
            byte[] acl = in.readNBytes(32);
            String canonical = in.readUTF();
            int[] sig = new int[in.readUnsignedShort()];
            for (int i = 0; i < sig.length; i++) {
                sig[i] = in.readInt();
            }
            return new Entry(exact, acl, canonical, sig);
        } catch (IOException x) {
            throw new UncheckedIOException("corrupt dedup state", x);
        }
    }
}
