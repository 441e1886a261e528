package org.aivillage.dtn;

import org.aivillage.betanet.codec.CborEncoder;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.dtn.internal.CborOut;
import org.aivillage.dtn.internal.Cursor;

/**
 * The payload of a bundle flagged {@link BundleFlags#ADMINISTRATIVE_RECORD} (RFC 9171 section
 * 6.1): a CBOR array [record type code, content]. Type 1 is the bundle status report.
 */
public sealed interface AdministrativeRecord permits AdministrativeRecord.StatusReport {

    int TYPE_STATUS_REPORT = 1;

    /** One status assertion: whether it holds and, if the bundle asked for status times, when (DTN ms, else -1). */
    record Assertion(boolean asserted, long dtnTimeMillis) {
        public static final Assertion NO = new Assertion(false, -1);

        public static Assertion at(long dtnTimeMillis, boolean withTime) {
            return new Assertion(true, withTime ? dtnTimeMillis : -1);
        }
    }

    /**
     * A bundle status report about the bundle (or fragment) identified by {@code subject}: received,
     * forwarded, delivered and deleted assertions and a reason code.
     */
    record StatusReport(Assertion received, Assertion forwarded, Assertion delivered, Assertion deleted,
            StatusReason reason, BundleId subject) implements AdministrativeRecord {}

    static byte[] encode(AdministrativeRecord record) {
        CborEncoder e = new CborEncoder(false);
        switch (record) {
            case StatusReport r -> {
                CborOut.array(e, 2);
                CborOut.uint(e, TYPE_STATUS_REPORT);
                BundleId s = r.subject();
                CborOut.array(e, s.isFragment() ? 6 : 4);
                CborOut.array(e, 4);
                for (Assertion a : new Assertion[] {r.received(), r.forwarded(), r.delivered(), r.deleted()}) {
                    boolean timed = a.asserted() && a.dtnTimeMillis() >= 0;
                    CborOut.array(e, timed ? 2 : 1);
                    CborOut.bool(e, a.asserted());
                    if (timed) {
                        CborOut.uint(e, a.dtnTimeMillis());
                    }
                }
                CborOut.uint(e, r.reason().code());
                CborOut.eid(e, s.source());
                CborOut.array(e, 2);
                CborOut.uint(e, s.creationTimestamp().dtnTimeMillis());
                CborOut.uint(e, s.creationTimestamp().sequence());
                if (s.isFragment()) {
                    CborOut.uint(e, s.fragmentOffset());
                    CborOut.uint(e, s.fragmentLength());
                }
            }
        }
        return e.toByteArray();
    }

    /** Decodes an administrative record; unknown record types are refused with {@link CodecException}. */
    static AdministrativeRecord decode(byte[] in) throws CodecException {
        Cursor c = new Cursor(in);
        if (c.arrayHead("adminRecord") != 2) {
            throw c.error("adminRecord", 0, "an administrative record is [type, content]");
        }
        int typeAt = c.position();
        long type = c.uint("adminRecord.type");
        if (type != TYPE_STATUS_REPORT) {
            throw c.error("adminRecord.type", typeAt, "unsupported administrative record type " + type);
        }
        int at = c.position();
        int n = c.arrayHead("statusReport");
        if (n != 4 && n != 6) {
            throw c.error("statusReport", at, "status report has " + n + " items, expected 4 or 6");
        }
        int infoAt = c.position();
        if (c.arrayHead("statusReport.info") != 4) {
            throw c.error("statusReport.info", infoAt, "status information is an array of 4 assertions");
        }
        Assertion[] as = new Assertion[4];
        for (int i = 0; i < 4; i++) {
            int aAt = c.position();
            int m = c.arrayHead("statusReport.info[" + i + "]");
            if (m != 1 && m != 2) {
                throw c.error("statusReport.info[" + i + "]", aAt, "an assertion is [bool] or [bool, time]");
            }
            boolean asserted = c.bool("statusReport.info[" + i + "].asserted");
            long time = m == 2 ? c.uint("statusReport.info[" + i + "].time") : -1;
            if (m == 2 && !asserted) {
                throw c.error("statusReport.info[" + i + "]", aAt, "a time on an assertion that is false");
            }
            as[i] = asserted ? new Assertion(true, time) : Assertion.NO;
        }
        StatusReason reason = StatusReason.of(c.uint("statusReport.reason"));
        EndpointId source = c.eid("statusReport.source");
        int tsAt = c.position();
        if (c.arrayHead("statusReport.creationTimestamp") != 2) {
            throw c.error("statusReport.creationTimestamp", tsAt, "creation timestamp is [time, sequence]");
        }
        CreationTimestamp ts = new CreationTimestamp(c.uint("statusReport.creationTimestamp.time"),
                c.uint("statusReport.creationTimestamp.sequence"));
        BundleId subject = n == 6
                ? new BundleId(source, ts, c.uint("statusReport.fragmentOffset"), c.uint("statusReport.fragmentLength"))
                : BundleId.whole(source, ts);
        if (!c.atEnd()) {
            throw c.error("adminRecord", c.position(), "trailing bytes after the record");
        }
        return new StatusReport(as[0], as[1], as[2], as[3], reason, subject);
    }
}
