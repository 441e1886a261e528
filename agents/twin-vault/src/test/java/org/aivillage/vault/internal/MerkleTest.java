package org.aivillage.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 6962 / RFC 9162 Merkle trees against the Certificate Transparency reference vectors
 * (transparency-dev/merkle testonly: leaves, the root of every size 1..8, two inclusion proofs).
 */
class MerkleTest {
    static final HexFormat HEX = HexFormat.of();
    static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
    static final String[] ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    static List<byte[]> leafHashes(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Merkle.leafHash(HEX.parseHex(LEAVES[i])));
        }
        return out;
    }

    @Test
    void rootsMatchTheReferenceForEverySize() {
        assertThat(HEX.formatHex(Merkle.root(List.of()))).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        for (int n = 1; n <= 8; n++) {
            assertThat(HEX.formatHex(Merkle.root(leafHashes(n)))).as("size %d", n).isEqualTo(ROOTS[n - 1]);
        }
    }

    @Test
    void inclusionProofsMatchTheReference() {
        List<byte[]> leaves = leafHashes(8);
        assertThat(Merkle.inclusionPath(leaves, 0)).extracting(HEX::formatHex).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(Merkle.inclusionPath(leaves, 5)).extracting(HEX::formatHex).containsExactly(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    }

    @Test
    void everyProofOfEveryTreeVerifiesAndWrongOnesDoNot() {
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            all.add(Merkle.leafHash(new byte[] {(byte) i, (byte) (i * 7)}));
        }
        for (int n = 1; n <= all.size(); n++) {
            List<byte[]> tree = all.subList(0, n);
            byte[] root = Merkle.root(tree);
            for (int i = 0; i < n; i++) {
                List<byte[]> path = Merkle.inclusionPath(tree, i);
                assertThat(Merkle.rootFromInclusionProof(i, n, tree.get(i), path)).isEqualTo(root);
                if (n > 1) {
                    byte[] wrongIndex = Merkle.rootFromInclusionProof((i + 1) % n, n, tree.get(i), path);
                    assertThat(wrongIndex == null || !java.util.Arrays.equals(wrongIndex, root)).isTrue();
                    byte[] wrongLeaf = Merkle.rootFromInclusionProof(i, n, tree.get((i + 1) % n), path);
                    assertThat(wrongLeaf).isNotEqualTo(root);
                }
                if (!path.isEmpty()) {
                    List<byte[]> tampered = new ArrayList<>(path);
                    byte[] h = tampered.getLast().clone();
                    h[0] ^= 1;
                    tampered.set(tampered.size() - 1, h);
                    assertThat(Merkle.rootFromInclusionProof(i, n, tree.get(i), tampered)).isNotEqualTo(root);
                    assertThat(Merkle.rootFromInclusionProof(i, n, tree.get(i), path.subList(0, path.size() - 1))).isNotEqualTo(root);
                }
            }
        }
        assertThat(Merkle.rootFromInclusionProof(3, 3, all.get(0), List.of())).isNull();
    }
}
