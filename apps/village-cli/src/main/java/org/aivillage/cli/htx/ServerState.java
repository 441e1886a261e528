package org.aivillage.cli.htx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.htx.AccessTicket;
import org.aivillage.betanet.htx.TicketIssuerKey;
import org.aivillage.betanet.htx.TicketPolicy;
import org.aivillage.betanet.keys.KeyFileException;
import org.aivillage.betanet.keys.KeyFiles;
import org.aivillage.betanet.keys.KeyType;
import org.aivillage.betanet.keys.TypedKeyPair;

/**
 * The serve command's state directory: {@code server.key} (Noise static X25519, key-file format of
 * {@code village keys}), {@code ticket.key} + {@code ticket.id} (ticket key pair and its 8-byte id),
 * development certificates and a placeholder decoy site, each created on first use.
 */
final class ServerState {
    final Path dir;

    ServerState(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    KeyPair serverKey() throws IOException {
        return loadOrCreate(dir.resolve("server.key"));
    }

    TicketIssuerKey ticketKey() throws IOException {
        KeyPair pair = loadOrCreate(dir.resolve("ticket.key"));
        Path idFile = dir.resolve("ticket.id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, HexFormat.of().formatHex(Randomness.bytes(AccessTicket.KEY_ID_LENGTH)) + "\n");
        }
        byte[] id;
        try {
            id = HexFormat.of().parseHex(Files.readString(idFile).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(idFile + ": not a hex ticket key id");
        }
        return new TicketIssuerKey(id, pair, TicketPolicy.DEFAULT);
    }

    /** chain.pem and key.pem, created with ca.pem for {@code names} unless present. */
    Path[] devCertificates(List<String> names) throws IOException {
        Path chain = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        if (!Files.exists(chain) || !Files.exists(key)) {
            org.aivillage.betanet.htx.DevCertificates.write(dir, names, "village htx development CA", java.time.Duration.ofDays(90));
        }
        return new Path[] {chain, key};
    }

    Path defaultSite() throws IOException {
        Path site = dir.resolve("site");
        Files.createDirectories(site);
        Path index = site.resolve("index.html");
        if (!Files.exists(index)) {
            Files.writeString(index, "<!doctype html>\n<html><head><title>Welcome</title></head>"
                    + "<body><h1>Welcome</h1><p>Nothing to see here yet.</p></body></html>\n");
        }
        return site;
    }

    private static KeyPair loadOrCreate(Path file) throws IOException {
        try {
            if (!Files.exists(file)) {
                KeyFiles.save(file, TypedKeyPair.generate(KeyType.X25519), null);
            }
            TypedKeyPair k = KeyFiles.load(file, null);
            if (k.type() != KeyType.X25519) {
                throw new IOException(file + ": expected an x25519 key, found " + k.type().fileName());
            }
            return k.keyPair();
        } catch (KeyFileException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
