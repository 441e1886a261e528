package org.aivillage.dtn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.aivillage.betanet.codec.CborEncoder;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hmac;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.dtn.internal.CborOut;
import org.aivillage.dtn.internal.Cursor;
import org.aivillage.dtn.internal.JdkCrypto;

/**
 * Bundle Protocol Security (RFC 9172) with the default security contexts of RFC 9173:
 * BIB-HMAC-SHA2 (context 1) and BCB-AES-GCM (context 2), optionally with AES key wrap.
 *
 * <p>Keys come from a {@link KeyResolver} (the node takes them from its configuration). Every
 * failure is a {@link BpsecException} whose message never contains key material.
 */
public final class Bpsec {
    private Bpsec() {}

    public static final long CONTEXT_BIB_HMAC_SHA2 = 1;
    public static final long CONTEXT_BCB_AES_GCM = 2;

    /** Integrity/AAD scope flag bits (RFC 9173 sections 3.3.4 and 4.3.4). */
    public static final int SCOPE_PRIMARY = 0x1;
    public static final int SCOPE_TARGET_HEADER = 0x2;
    public static final int SCOPE_SECURITY_HEADER = 0x4;
    public static final int SCOPE_ALL = 0x7;

    /** SHA variants of BIB-HMAC-SHA2. */
    public enum ShaVariant {
        HMAC_256(5, Hashes.Algorithm.SHA256),
        HMAC_384(6, Hashes.Algorithm.SHA384),
        HMAC_512(7, Hashes.Algorithm.SHA512);

        final int code;
        final Hashes.Algorithm hash;

        ShaVariant(int code, Hashes.Algorithm hash) {
            this.code = code;
            this.hash = hash;
        }

        static ShaVariant of(long code) throws BpsecException {
            for (ShaVariant v : values()) {
                if (v.code == code) {
                    return v;
                }
            }
            throw new BpsecException("unknown SHA variant " + code);
        }
    }

    /** AES variants of BCB-AES-GCM. */
    public enum AesVariant {
        A128GCM(1, 16),
        A256GCM(3, 32);

        final int code;
        final int keyLength;

        AesVariant(int code, int keyLength) {
            this.code = code;
            this.keyLength = keyLength;
        }

        static AesVariant of(long code) throws BpsecException {
            for (AesVariant v : values()) {
                if (v.code == code) {
                    return v;
                }
            }
            throw new BpsecException("unknown AES variant " + code);
        }
    }

    /** Looks up the key for a security source and context; empty when none is configured. */
    @FunctionalInterface
    public interface KeyResolver {
        Optional<byte[]> key(EndpointId securitySource, long contextId);
    }

    /** One security context parameter or result: an id and its CBOR value. */
    public record Item(long id, CborValue value) {}

    /**
     * The abstract security block (RFC 9172 section 3.6): targets, context id, security source,
     * parameters, and per target a list of results. Encoded as a CBOR sequence.
     */
    public record AbstractSecurityBlock(List<Long> targets, long contextId, EndpointId source, List<Item> parameters,
            List<List<Item>> results) {
        public AbstractSecurityBlock {
            targets = List.copyOf(targets);
            parameters = List.copyOf(parameters);
            results = results.stream().map(List::copyOf).toList();
            if (targets.isEmpty() || results.size() != targets.size()) {
                throw new IllegalArgumentException("one result list per security target, at least one target");
            }
        }

        public Optional<CborValue> parameter(long id) {
            return parameters.stream().filter(p -> p.id() == id).map(Item::value).findFirst();
        }

        public byte[] encode() {
            CborEncoder e = new CborEncoder(false);
            CborOut.array(e, targets.size());
            for (long t : targets) {
                CborOut.uint(e, t);
            }
            if (contextId >= 0) {
                CborOut.uint(e, contextId);
            } else {
                e.writeHead(1, -1 - contextId);
            }
            CborOut.uint(e, parameters.isEmpty() ? 0 : 1);
            CborOut.eid(e, source);
            if (!parameters.isEmpty()) {
                writeItems(e, parameters);
            }
            CborOut.array(e, results.size());
            for (List<Item> r : results) {
                writeItems(e, r);
            }
            return e.toByteArray();
        }

        private static void writeItems(CborEncoder e, List<Item> items) {
            CborOut.array(e, items.size());
            for (Item i : items) {
                CborOut.array(e, 2);
                CborOut.uint(e, i.id());
                e.write(i.value());
            }
        }

        public static AbstractSecurityBlock decode(byte[] data) throws CodecException {
            Cursor c = new Cursor(data);
            int nt = c.arrayHead("asb.targets");
            if (nt == 0) {
                throw c.error("asb.targets", 0, "no security targets");
            }
            List<Long> targets = new ArrayList<>();
            for (int i = 0; i < nt; i++) {
                long t = c.uint("asb.targets[" + i + "]");
                if (targets.contains(t)) {
                    throw c.error("asb.targets", 0, "duplicate security target " + t);
                }
                targets.add(t);
            }
            int at = c.position();
            CborValue ctx = c.any("asb.contextId");
            long contextId = switch (ctx) {
                case CborValue.UnsignedInt u when u.bits() >= 0 -> u.bits();
                case CborValue.NegativeInt n when n.bits() >= 0 -> -1 - n.bits();
                default -> throw c.error("asb.contextId", at, "security context id must be an integer");
            };
            long flags = c.uint("asb.contextFlags");
            EndpointId source = c.eid("asb.source");
            List<Item> params = (flags & 1) != 0 ? readItems(c, "asb.parameters") : List.of();
            int rAt = c.position();
            int nr = c.arrayHead("asb.results");
            if (nr != nt) {
                throw c.error("asb.results", rAt, "result count " + nr + " differs from target count " + nt);
            }
            List<List<Item>> results = new ArrayList<>();
            for (int i = 0; i < nr; i++) {
                results.add(readItems(c, "asb.results[" + i + "]"));
            }
            if (!c.atEnd()) {
                throw c.error("asb", c.position(), "trailing bytes after the security block");
            }
            return new AbstractSecurityBlock(targets, contextId, source, params, results);
        }

        private static List<Item> readItems(Cursor c, String field) throws CodecException {
            int n = c.arrayHead(field);
            List<Item> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int at = c.position();
                if (c.arrayHead(field + "[" + i + "]") != 2) {
                    throw c.error(field + "[" + i + "]", at, "a parameter or result is [id, value]");
                }
                items.add(new Item(c.uint(field + "[" + i + "].id"), c.any(field + "[" + i + "].value")));
            }
            return items;
        }
    }

    // ---- BIB-HMAC-SHA2 -------------------------------------------------------------------------

    /**
     * Adds a BIB (block number {@code bibNumber}, 0 = next free) protecting {@code targets} with
     * HMAC-SHA2 under {@code key}. If {@code kek} is non-null, {@code key} is wrapped with it and
     * carried as the wrapped-key parameter. {@code scopeFlags} is written as a parameter.
     */
    public static Bundle addIntegrity(Bundle bundle, List<Long> targets, EndpointId securitySource, ShaVariant variant,
            int scopeFlags, byte[] key, byte[] kek, long bibNumber, long bibFlags) throws BpsecException {
        long number = bibNumber > 0 ? bibNumber : bundle.nextBlockNumber();
        List<Item> params = new ArrayList<>();
        params.add(new Item(1, new CborValue.UnsignedInt(variant.code)));
        if (kek != null) {
            params.add(new Item(2, new CborValue.ByteString(JdkCrypto.wrap(kek, key))));
        }
        params.add(new Item(3, new CborValue.UnsignedInt(scopeFlags)));
        List<List<Item>> results = new ArrayList<>();
        for (long t : targets) {
            byte[] ippt = ippt(bundle, t, scopeFlags, BlockType.BLOCK_INTEGRITY, number, bibFlags);
            results.add(List.of(new Item(1, new CborValue.ByteString(Hmac.mac(variant.hash, key, ippt)))));
        }
        AbstractSecurityBlock asb = new AbstractSecurityBlock(targets, CONTEXT_BIB_HMAC_SHA2, securitySource, params,
                results);
        CanonicalBlock bib = new CanonicalBlock(BlockType.BLOCK_INTEGRITY, number, bibFlags, CrcType.NONE, asb.encode());
        return bundle.withSecurityBlock(bib);
    }

    /** Verifies every BIB of the bundle; returns the number of targets verified. */
    public static int verifyIntegrity(Bundle bundle, KeyResolver keys) throws BpsecException {
        int verified = 0;
        for (CanonicalBlock b : bundle.blocks()) {
            if (b.type() == BlockType.BLOCK_INTEGRITY) {
                verified += verifyBib(bundle, b, keys);
            }
        }
        return verified;
    }

    private static int verifyBib(Bundle bundle, CanonicalBlock bib, KeyResolver keys) throws BpsecException {
        AbstractSecurityBlock asb = decodeAsb(bib);
        if (asb.contextId() != CONTEXT_BIB_HMAC_SHA2) {
            throw new BpsecException("BIB " + bib.number() + " uses unsupported security context " + asb.contextId());
        }
        ShaVariant variant = ShaVariant.of(uintParam(asb, 1, ShaVariant.HMAC_384.code));
        int scope = (int) uintParam(asb, 3, SCOPE_ALL);
        byte[] key = keyFor(asb, keys, CONTEXT_BIB_HMAC_SHA2);
        try {
            for (int i = 0; i < asb.targets().size(); i++) {
                long target = asb.targets().get(i);
                byte[] expected = resultBytes(asb.results().get(i), 1, "HMAC");
                byte[] ippt = ippt(bundle, target, scope, bib.type(), bib.number(), bib.flags());
                byte[] actual = Hmac.mac(variant.hash, key, ippt);
                if (!ConstantTime.equals(actual, expected)) {
                    throw new BpsecException("BIB " + bib.number() + ": HMAC mismatch for target block " + target);
                }
            }
        } finally {
            ConstantTime.wipe(key);
        }
        return asb.targets().size();
    }

    /** The integrity-protected plaintext (RFC 9173 section 3.7). */
    static byte[] ippt(Bundle bundle, long target, int scope, int secType, long secNumber, long secFlags)
            throws BpsecException {
        CborEncoder e = new CborEncoder(false);
        CborOut.uint(e, scope);
        if ((scope & SCOPE_PRIMARY) != 0) {
            e.writeRaw(BundleCodec.encodePrimary(bundle.primary()));
        }
        if (target == 0) {
            if ((scope & SCOPE_SECURITY_HEADER) != 0) {
                header(e, secType, secNumber, secFlags);
            }
            // The primary block's "block-type-specific data" is its encoding, wrapped as a byte string (A.3).
            CborOut.bytes(e, BundleCodec.encodePrimary(bundle.primary()));
            return e.toByteArray();
        }
        CanonicalBlock t = bundle.blockNumber(target)
                .orElseThrow(() -> new BpsecException("security target block " + target + " is not in the bundle"));
        if ((scope & SCOPE_TARGET_HEADER) != 0) {
            header(e, t.type(), t.number(), t.flags());
        }
        if ((scope & SCOPE_SECURITY_HEADER) != 0) {
            header(e, secType, secNumber, secFlags);
        }
        CborOut.bytes(e, t.data());
        return e.toByteArray();
    }

    private static void header(CborEncoder e, long type, long number, long flags) {
        CborOut.uint(e, type);
        CborOut.uint(e, number);
        CborOut.uint(e, flags);
    }

    // ---- BCB-AES-GCM ---------------------------------------------------------------------------

    /**
     * Adds a BCB encrypting the data of {@code targets} with AES-GCM. {@code key} is the content
     * encryption key; if {@code kek} is non-null the key is wrapped with it and carried in the
     * block. {@code iv} null means a fresh random 12-byte IV. The BCB gets the
     * replicate-in-every-fragment flag as RFC 9172 requires.
     */
    public static Bundle addConfidentiality(Bundle bundle, List<Long> targets, EndpointId securitySource,
            AesVariant variant, int aadScope, byte[] key, byte[] kek, byte[] iv, long bcbNumber) throws BpsecException {
        if (key.length != variant.keyLength) {
            throw new BpsecException("key length does not match " + variant);
        }
        for (long t : targets) {
            if (t == 0) {
                throw new BpsecException("the primary block cannot be a BCB target");
            }
        }
        long number = bcbNumber > 0 ? bcbNumber : bundle.nextBlockNumber();
        long bcbFlags = BlockFlags.REPLICATE_IN_EVERY_FRAGMENT;
        byte[] nonce = iv != null ? iv.clone() : Randomness.bytes(12);
        List<Item> params = new ArrayList<>();
        params.add(new Item(1, new CborValue.ByteString(nonce)));
        params.add(new Item(2, new CborValue.UnsignedInt(variant.code)));
        if (kek != null) {
            params.add(new Item(3, new CborValue.ByteString(JdkCrypto.wrap(kek, key))));
        }
        params.add(new Item(4, new CborValue.UnsignedInt(aadScope)));
        List<List<Item>> results = new ArrayList<>();
        Bundle out = bundle;
        for (long t : targets) {
            CanonicalBlock target = bundle.blockNumber(t)
                    .orElseThrow(() -> new BpsecException("security target block " + t + " is not in the bundle"));
            byte[] aad = aad(bundle, target, aadScope, BlockType.BLOCK_CONFIDENTIALITY, number, bcbFlags);
            byte[] sealed = JdkCrypto.gcmSeal(key, nonce, aad, target.data());
            byte[] ct = Arrays.copyOf(sealed, sealed.length - 16);
            byte[] tag = Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length);
            results.add(List.of(new Item(1, new CborValue.ByteString(tag))));
            out = out.withBlock(target.withData(ct));
        }
        AbstractSecurityBlock asb = new AbstractSecurityBlock(targets, CONTEXT_BCB_AES_GCM, securitySource, params,
                results);
        return out.withSecurityBlock(new CanonicalBlock(BlockType.BLOCK_CONFIDENTIALITY, number, bcbFlags, CrcType.NONE,
                asb.encode()));
    }

    /**
     * Decrypts every BCB target and removes the BCBs, returning the plaintext bundle. A bundle with
     * no BCB is returned unchanged.
     */
    public static Bundle decrypt(Bundle bundle, KeyResolver keys) throws BpsecException {
        Bundle out = bundle;
        for (CanonicalBlock b : bundle.blocks()) {
            if (b.type() != BlockType.BLOCK_CONFIDENTIALITY) {
                continue;
            }
            AbstractSecurityBlock asb = decodeAsb(b);
            if (asb.contextId() != CONTEXT_BCB_AES_GCM) {
                throw new BpsecException("BCB " + b.number() + " uses unsupported security context " + asb.contextId());
            }
            byte[] iv = bytesParam(asb, 1).orElseThrow(() -> new BpsecException("BCB " + b.number() + " has no IV"));
            AesVariant variant = AesVariant.of(uintParam(asb, 2, AesVariant.A256GCM.code));
            int scope = (int) uintParam(asb, 4, SCOPE_ALL);
            byte[] key = keyFor(asb, keys, CONTEXT_BCB_AES_GCM);
            Optional<byte[]> wrapped = bytesParam(asb, 3);
            try {
                if (wrapped.isPresent()) {
                    byte[] kek = key;
                    try {
                        key = JdkCrypto.unwrap(kek, wrapped.get());
                    } catch (AuthenticationFailedException e) {
                        throw new BpsecException("BCB " + b.number() + ": key unwrap failed");
                    } finally {
                        ConstantTime.wipe(kek);
                    }
                }
                if (key.length != variant.keyLength) {
                    throw new BpsecException("BCB " + b.number() + ": key length does not match " + variant);
                }
                for (int i = 0; i < asb.targets().size(); i++) {
                    long t = asb.targets().get(i);
                    CanonicalBlock target = out.blockNumber(t).orElseThrow(
                            () -> new BpsecException("security target block " + t + " is not in the bundle"));
                    byte[] tag = resultBytes(asb.results().get(i), 1, "authentication tag");
                    byte[] aad = aad(out, target, scope, b.type(), b.number(), b.flags());
                    byte[] input = Arrays.copyOf(target.data(), target.data().length + tag.length);
                    System.arraycopy(tag, 0, input, target.data().length, tag.length);
                    try {
                        out = out.withBlock(target.withData(JdkCrypto.gcmOpen(key, iv, aad, input)));
                    } catch (AuthenticationFailedException e) {
                        throw new BpsecException("BCB " + b.number() + ": decryption of block " + t + " failed");
                    }
                }
            } finally {
                ConstantTime.wipe(key);
            }
            out = out.withoutBlock(b.number());
        }
        return out;
    }

    /** Additional authenticated data (RFC 9173 section 4.7.2). */
    static byte[] aad(Bundle bundle, CanonicalBlock target, int scope, int secType, long secNumber, long secFlags) {
        CborEncoder e = new CborEncoder(false);
        CborOut.uint(e, scope);
        if ((scope & SCOPE_PRIMARY) != 0) {
            e.writeRaw(BundleCodec.encodePrimary(bundle.primary()));
        }
        if ((scope & SCOPE_TARGET_HEADER) != 0) {
            header(e, target.type(), target.number(), target.flags());
        }
        if ((scope & SCOPE_SECURITY_HEADER) != 0) {
            header(e, secType, secNumber, secFlags);
        }
        return e.toByteArray();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static AbstractSecurityBlock decodeAsb(CanonicalBlock b) throws BpsecException {
        try {
            return AbstractSecurityBlock.decode(b.data());
        } catch (CodecException e) {
            throw new BpsecException("security block " + b.number() + " is malformed: " + e.getMessage());
        }
    }

    private static byte[] keyFor(AbstractSecurityBlock asb, KeyResolver keys, long context) throws BpsecException {
        return keys.key(asb.source(), context).map(byte[]::clone)
                .orElseThrow(() -> new BpsecException("no key for security source " + asb.source()));
    }

    private static long uintParam(AbstractSecurityBlock asb, long id, long dflt) throws BpsecException {
        Optional<CborValue> v = asb.parameter(id);
        if (v.isEmpty()) {
            return dflt;
        }
        if (v.get() instanceof CborValue.UnsignedInt u && u.bits() >= 0 && u.bits() < Integer.MAX_VALUE) {
            return u.bits();
        }
        throw new BpsecException("security parameter " + id + " must be an unsigned integer");
    }

    private static Optional<byte[]> bytesParam(AbstractSecurityBlock asb, long id) throws BpsecException {
        Optional<CborValue> v = asb.parameter(id);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof CborValue.ByteString b) {
            return Optional.of(b.bytes());
        }
        throw new BpsecException("security parameter " + id + " must be a byte string");
    }

    private static byte[] resultBytes(List<Item> results, long id, String what) throws BpsecException {
        for (Item i : results) {
            if (i.id() == id && i.value() instanceof CborValue.ByteString b) {
                return b.bytes();
            }
        }
        throw new BpsecException("security result without " + what);
    }
}
