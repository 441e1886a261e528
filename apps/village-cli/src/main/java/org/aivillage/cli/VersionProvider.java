package org.aivillage.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest (Implementation-Version), "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Village.class.getPackage().getImplementationVersion();
        return new String[] {
            "village " + (v == null ? "dev" : v),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
