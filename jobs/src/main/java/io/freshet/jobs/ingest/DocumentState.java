package io.freshet.jobs.ingest;

import io.freshet.core.Chunk;
import io.freshet.core.EmbeddedChunk;
import io.freshet.core.SourceDocument;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the {@code chunk-embed} step remembers of an indexed document, per document id in Flink keyed state:
 * the embedding model, a hash of its content (title, body, metadata), a hash of its permissions (tenant, ACL),
 * and each chunk's offsets, the hash of its embedding input and its vector. With it a change is classified
 * without looking at the index, an ACL-only change re-indexes the existing chunks without chunking or
 * embedding, and a content change embeds only the chunks whose input is new.
 *
 * <p>Stored as bytes in a versioned format ({@link #toBytes()}, version {@value #VERSION}); about 4 bytes per
 * vector dimension per chunk (1.5 KB per chunk at 384 dimensions).
 *
 * @param model the embedding model of the vectors, with the version of its weights ({@code id@version})
 * @param contentKey SHA-256 of title, body and metadata
 * @param aclKey SHA-256 of tenant and the ACL as a set
 * @param chunks the document's chunks, in order
 */
public record DocumentState(String model, byte[] contentKey, byte[] aclKey, List<StoredChunk> chunks) {

    /** Version 2 added each chunk's section; version 1 (no sections) is still read. */
    static final int VERSION = 2;

    /**
     * One chunk: its offsets into the body, its section (the heading path of a markdown chunk; empty for
     * others), the hash of its embedding input and its vector.
     */
    public record StoredChunk(int start, int end, String section, long inputHash, float[] vector) {
        public StoredChunk {
            section = section == null ? "" : section;
        }
    }

    public DocumentState {
        chunks = List.copyOf(chunks);
    }

    /** SHA-256 of what decides the chunks and their vectors and attributes: title, body and metadata. */
    static byte[] contentKey(SourceDocument d) {
        MessageDigest md = sha256();
        update(md, d.title());
        update(md, d.body());
        for (Map.Entry<String, String> e : d.metadata().entrySet()) {
            update(md, e.getKey());
            update(md, e.getValue());
        }
        return md.digest();
    }

    /** SHA-256 of who may see the document: tenant and the ACL as a set. */
    static byte[] aclKey(SourceDocument d) {
        MessageDigest md = sha256();
        update(md, d.tenant());
        for (String entry : new TreeSet<>(d.acl())) {
            update(md, entry);
        }
        return md.digest();
    }

    /** A 64-bit hash of an embedding input (the first eight bytes of its SHA-256). */
    static long inputHash(String input) {
        MessageDigest md = sha256();
        update(md, input);
        return ByteBuffer.wrap(md.digest()).getLong();
    }

    /** The vectors by embedding-input hash, for reuse. */
    Map<Long, float[]> vectorsByInput() {
        Map<Long, float[]> out = new HashMap<>(chunks.size() * 2);
        for (StoredChunk c : chunks) {
            out.put(c.inputHash(), c.vector());
        }
        return out;
    }

    /** The stored chunks over {@code body} (the same body they were cut from), with their vectors. */
    List<EmbeddedChunk> embeddedChunks(String body) {
        List<EmbeddedChunk> out = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            StoredChunk c = chunks.get(i);
            out.add(new EmbeddedChunk(new Chunk(i, body.substring(c.start(), c.end()), c.start(), c.end(), c.section()),
                    c.vector()));
        }
        return out;
    }

    /** This state with other permissions. */
    DocumentState withAclKey(byte[] key) {
        return new DocumentState(model, contentKey, key, chunks);
    }

    /** The versioned binary form. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + chunks.size() * 1600);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(model);
            out.write(contentKey);
            out.write(aclKey);
            out.writeInt(chunks.size());
            for (StoredChunk c : chunks) {
                out.writeInt(c.start());
                out.writeInt(c.end());
                out.writeUTF(c.section());
                out.writeLong(c.inputHash());
                out.writeInt(c.vector().length);
                for (float f : c.vector()) {
                    out.writeFloat(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@link #toBytes()}; a version this code does not know is an error, never a guess. */
    public static DocumentState fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != 1 && version != VERSION) {
                throw new IllegalStateException("document state version " + version + " is not known (this code reads "
                        + VERSION + ")");
            }
            String model = in.readUTF();
            byte[] content = in.readNBytes(32);
            byte[] acl = in.readNBytes(32);
            if (acl.length != 32) {
                throw new IllegalStateException("corrupt document state: truncated hashes");
            }
            int n = in.readInt();
            List<StoredChunk> chunks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int start = in.readInt();
                int end = in.readInt();
                String section = version >= 2 ? in.readUTF() : "";
                long hash = in.readLong();
                float[] v = new float[in.readInt()];
                for (int d = 0; d < v.length; d++) {
                    v[d] = in.readFloat();
                }
                chunks.add(new StoredChunk(start, end, section, hash, v));
            }
            if (in.read() != -1) {
                throw new IllegalStateException("corrupt document state: bytes after its last chunk");
            }
            return new DocumentState(model, content, acl, chunks);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt document state", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static void update(MessageDigest md, String part) {
        byte[] b = part.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(Integer.BYTES).putInt(b.length).array());
        md.update(b);
    }
}
