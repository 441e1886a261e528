package org.aivillage.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code [security]}: keys, address filters, rate limits. */
@Section(value = "security", doc = "Keys, address filters and rate limits.")
public record SecurityConfig(
        @Key(doc = "Directory of this node's key pairs; unset = <global.data_dir>/keys.")
        Optional<Path> keyDir,

        @Key(doc = "Peers allowed to connect, as CIDR blocks or addresses; empty = everyone not blocked.", def = "")
        @Format(Format.Kind.CIDR)
        List<String> allowList,

        @Key(doc = "Peers refused, as CIDR blocks or addresses (checked before allow_list).", def = "")
        @Format(Format.Kind.CIDR)
        List<String> blockList,

        @Key(doc = "Sustained requests per second allowed from one address.", def = "100")
        @Range(min = 1, max = 1_000_000)
        int rateLimitPerSecond,

        @Key(doc = "Requests one address may send in a burst above the sustained rate.", def = "200")
        @Range(min = 1, max = 10_000_000)
        int rateLimitBurst,

        @Key(doc = "Proof-of-work difficulty demanded from new peers, in leading zero bits (0 = none).", def = "22")
        @Range(min = 0, max = 64)
        int powDifficultyBits) {
}
