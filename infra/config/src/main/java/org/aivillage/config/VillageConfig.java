package org.aivillage.config;

import java.nio.file.Path;
import org.aivillage.config.internal.Schema;

/**
 * The whole configuration file: one component per section. Obtain it with {@link ConfigLoader}
 * (file, environment, defaults) or {@link #defaults()}; every key has a default, so a missing file
 * or section is never an error.
 */
public record VillageConfig(
        GlobalConfig global,
        BetanetConfig betanet,
        BitchatConfig bitchat,
        DtnConfig dtn,
        FabricConfig fabric,
        NavigatorConfig navigator,
        TwinVaultConfig twinVault,
        SecurityConfig security,
        PerformanceConfig performance,
        LoggingConfig logging) {

    /** Every key at its default. */
    public static VillageConfig defaults() {
        return Schema.instance().defaults();
    }

    /** The section of the given record type, e.g. {@code config.section(DtnConfig.class)}. */
    public <S extends Record> S section(Class<S> type) {
        return type.cast(Schema.instance().sectionValue(this, type));
    }

    /** Where the DTN bundle store lives: {@code network.dtn.storage_path} or {@code <data_dir>/dtn}. */
    public Path dtnStoragePath() {
        return global.resolveDataPath(dtn.storagePath(), "dtn");
    }

    /** Where the twin vault lives: {@code storage.twin_vault.storage_path} or {@code <data_dir>/twin-vault}. */
    public Path twinVaultStoragePath() {
        return global.resolveDataPath(twinVault.storagePath(), "twin-vault");
    }

    /** Where key pairs live: {@code security.key_dir} or {@code <data_dir>/keys}. */
    public Path keyDir() {
        return global.resolveDataPath(security.keyDir(), "keys");
    }
}
