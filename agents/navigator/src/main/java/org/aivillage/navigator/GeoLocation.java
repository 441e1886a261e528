package org.aivillage.navigator;

/**
 * Where a node is, in degrees (WGS 84). Informational: no goal uses it, but it travels with the
 * node so that callers (and the CLI's output) can show it.
 */
public record GeoLocation(double latitude, double longitude) {
    public GeoLocation {
        if (Double.isNaN(latitude) || latitude < -90 || latitude > 90) {
            throw new IllegalArgumentException("latitude must be within [-90, 90], got " + latitude);
        }
        if (Double.isNaN(longitude) || longitude < -180 || longitude > 180) {
            throw new IllegalArgumentException("longitude must be within [-180, 180], got " + longitude);
        }
    }
}
