package org.aivillage.dtn;

/** Bundle processing control flags (RFC 9171 section 4.2.3). */
public final class BundleFlags {
    private BundleFlags() {}

    public static final long IS_FRAGMENT = 0x000001;
    public static final long ADMINISTRATIVE_RECORD = 0x000002;
    public static final long MUST_NOT_FRAGMENT = 0x000004;
    public static final long APP_ACK_REQUESTED = 0x000020;
    public static final long STATUS_TIME_REQUESTED = 0x000040;
    public static final long REPORT_RECEPTION = 0x004000;
    public static final long REPORT_FORWARDING = 0x010000;
    public static final long REPORT_DELIVERY = 0x020000;
    public static final long REPORT_DELETION = 0x040000;

    /** Every flag RFC 9171 defines; other bits are reserved and ignored on receipt. */
    public static final long DEFINED = IS_FRAGMENT | ADMINISTRATIVE_RECORD | MUST_NOT_FRAGMENT | APP_ACK_REQUESTED
            | STATUS_TIME_REQUESTED | REPORT_RECEPTION | REPORT_FORWARDING | REPORT_DELIVERY | REPORT_DELETION;

    /** Mask of the status-report request flags. */
    public static final long REPORT_ANY = REPORT_RECEPTION | REPORT_FORWARDING | REPORT_DELIVERY | REPORT_DELETION;
}
