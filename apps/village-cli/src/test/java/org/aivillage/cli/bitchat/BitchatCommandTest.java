package org.aivillage.cli.bitchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.aivillage.cli.Village;
import org.junit.jupiter.api.Test;

class BitchatCommandTest {

    @Test
    void helpListsChatAndNode() {
        StringWriter out = new StringWriter();
        int code = Village.commandLine().setOut(new PrintWriter(out, true)).execute("bitchat", "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("chat", "node", "BitChat mesh");
    }

    @Test
    void badPeerAddressIsAUserError() {
        StringWriter err = new StringWriter();
        int code = Village.commandLine().setErr(new PrintWriter(err, true))
                .execute("bitchat", "chat", "--nick", "x", "--peer", "nonsense", "--no-multicast");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("village: --peer: expected host:port, got \"nonsense\"");
    }

    @Test
    void badMulticastGroupIsAUserError() {
        StringWriter err = new StringWriter();
        int code = Village.commandLine().setErr(new PrintWriter(err, true))
                .execute("bitchat", "chat", "--multicast-group", "10.0.0.1:7778");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("is not a multicast address");
    }
}
