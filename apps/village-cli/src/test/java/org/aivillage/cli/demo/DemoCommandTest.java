package org.aivillage.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aivillage.cli.Village;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DemoCommandTest {

    @Test
    @Timeout(120)
    void theDemoRunsXkBetweenTwoProcessesAndBothSidesAgree() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Village.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("demo", "--act", "noise", "--messages", "2", "--timeout-seconds", "60");
        String text = out.toString();
        assertThat(code).as("exit code; output:%n%s%nerr:%n%s", text, err).isZero();
        assertThat(text).contains(
                "Noise_XK_25519_ChaChaPoly_SHA256",
                "[initiator] started responder process pid",
                "[initiator] -> message 1 (e, es): 72 bytes",
                "[responder] <- message 1 (e, es): 72 bytes",
                "[responder] -> message 2 (e, ee): 72 bytes",
                "[initiator] -> message 3 (s, se): 87 bytes",
                "[responder] <- message 3 (s, se): 87 bytes",
                "[initiator] send 23 B plaintext -> 39 B ciphertext",
                "[responder] recv 39 B ciphertext -> 23 B \"message 2 over Noise XK\"",
                "[initiator] recv 46 B ciphertext -> 30 B \"ack 2: MESSAGE 2 OVER NOISE XK\"",
                "[responder] initiator closed the connection after 2 messages",
                "[initiator] responder exited with code 0",
                "handshake hashes on both sides match",
                "demo OK");
        String initiatorHash = group(text, "\\[initiator\\] handshake hash ([0-9a-f]{64})");
        String responderHash = group(text, "\\[responder\\] handshake hash ([0-9a-f]{64})");
        assertThat(responderHash).isEqualTo(initiatorHash);
        // The responder learned the initiator's static key from message 3.
        String initiatorKey = group(text, "\\[initiator\\] own static key ([0-9a-f]{64})");
        assertThat(text).contains("[responder] handshake complete; initiator static key " + initiatorKey);
    }

    /** The whole demo, as a newcomer runs it: both acts, real processes, everything shut down. */
    @Test
    @Timeout(240)
    void theWholeDemoRunsBothActs() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Village.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("demo");
        String text = out.toString();
        assertThat(code).as("exit code; output:%n%s%nerr:%n%s", text, err).isZero();
        assertThat(text).contains("== Act 1: Noise XK between two processes ==", "demo OK",
                "== Act 2: the BetaNet mixnet ==", "links: HTX", "verified against the authority key",
                "hello mixnet at low", "hello mixnet at medium", "hello mixnet at high", "hello mixnet at maximum",
                "testnet down: 5 processes stopped", "village demo finished in");
        assertThat(text.indexOf("demo OK")).isLessThan(text.indexOf("== Act 2"));
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
        return m.group(1);
    }
}
