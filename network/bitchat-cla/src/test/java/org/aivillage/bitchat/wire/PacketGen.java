package org.aivillage.bitchat.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.aivillage.bitchat.MeshPeerId;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/** Random packets for property tests: every field, flag and version combination. */
final class PacketGen {
    private PacketGen() {
    }

    static Gen<Packet> packets() {
        return SourceDSL.longs().all().map(seed -> random(new SplittableRandom(seed)));
    }

    static Packet random(SplittableRandom r) {
        int version = r.nextBoolean() ? 1 : 2;
        MeshPeerId recipient = switch (r.nextInt(3)) {
            case 0 -> null;
            case 1 -> MeshPeerId.BROADCAST;
            default -> MeshPeerId.ofLong(r.nextLong());
        };
        List<MeshPeerId> route = new ArrayList<>();
        if (version == 2 && r.nextInt(3) == 0) {
            int hops = 1 + r.nextInt(5);
            for (int i = 0; i < hops; i++) {
                route.add(MeshPeerId.ofLong(r.nextLong()));
            }
        }
        byte[] payload;
        if (r.nextInt(4) == 0) {
            payload = ("text ".repeat(20 + r.nextInt(200))).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            payload = new byte[r.nextInt(r.nextInt(8) == 0 ? 3000 : 300)];
            r.nextBytes(payload);
        }
        byte[] signature = null;
        if (r.nextBoolean()) {
            signature = new byte[64];
            r.nextBytes(signature);
        }
        Packet p = new Packet(version, r.nextInt(256), r.nextInt(256), r.nextLong(), MeshPeerId.ofLong(r.nextLong()),
                recipient, route, payload, signature, version == 2 && r.nextBoolean(), null);
        return r.nextBoolean() ? p.compressed() : p;
    }
}
