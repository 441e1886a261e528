package org.aivillage.vault;

import java.util.List;

/**
 * What one sync session did: the peer's device key, how many changes each side sent, how many
 * received changes were new and applied or rejected (unknown author, bad signature, wrong owner),
 * and which twins got a new version from the merge.
 */
public record SyncResult(byte[] peerDevice, int sent, int received, int applied, int rejected, List<String> twinsChanged) {
    public SyncResult {
        peerDevice = peerDevice.clone();
        twinsChanged = List.copyOf(twinsChanged);
    }

    @Override
    public byte[] peerDevice() {
        return peerDevice.clone();
    }
}
