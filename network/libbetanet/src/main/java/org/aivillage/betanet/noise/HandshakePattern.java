package org.aivillage.betanet.noise;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A handshake pattern as data: the pre-messages of both sides and the token list of every message
 * (Noise spec rev 34 §7), after the pattern's modifiers have been applied. Built by
 * {@link #parse(String)} from names like {@code XK}, {@code NK1}, {@code XXpsk3},
 * {@code KKpsk0+psk2} or {@code XKhfs}.
 *
 * <p>Supported: the 3 one-way patterns (N, K, X), the 12 fundamental interactive patterns (NN NK NX
 * XN XK XX KN KK KX IN IK IX), the 23 deferred patterns (NK1 ... I1X1), the {@code pskN} modifiers
 * (any number, any valid position) and the {@code hfs} modifier of the Noise HFS extension draft
 * (tokens {@code e1} and {@code ekem1}; see docs/protocols/noise.md for the exact placement rule).
 */
public record HandshakePattern(
        String name,
        List<Token> initiatorPreMessage,
        List<Token> responderPreMessage,
        List<MessagePattern> messages) {

    public HandshakePattern {
        initiatorPreMessage = List.copyOf(initiatorPreMessage);
        responderPreMessage = List.copyOf(responderPreMessage);
        messages = List.copyOf(messages);
    }

    /** Base patterns in the spec's notation: pre-messages ("initiator | responder") and messages. */
    private static final Map<String, String[]> BASE = new LinkedHashMap<>();

    private static void base(String name, String pre, String msgs) {
        BASE.put(name, new String[] {pre, msgs});
    }

    static {
        // §7.4 one-way patterns
        base("N", "|s", "-> e, es");
        base("K", "s|s", "-> e, es, ss");
        base("X", "|s", "-> e, es, s, ss");
        // §7.4 fundamental interactive patterns
        base("NN", "|", "-> e; <- e, ee");
        base("NK", "|s", "-> e, es; <- e, ee");
        base("NX", "|", "-> e; <- e, ee, s, es");
        base("XN", "|", "-> e; <- e, ee; -> s, se");
        base("XK", "|s", "-> e, es; <- e, ee; -> s, se");
        base("XX", "|", "-> e; <- e, ee, s, es; -> s, se");
        base("KN", "s|", "-> e; <- e, ee, se");
        base("KK", "s|s", "-> e, es, ss; <- e, ee, se");
        base("KX", "s|", "-> e; <- e, ee, se, s, es");
        base("IN", "|", "-> e, s; <- e, ee, se");
        base("IK", "|s", "-> e, es, s, ss; <- e, ee, se");
        base("IX", "|", "-> e, s; <- e, ee, se, s, es");
        // §7.5 deferred patterns
        base("NK1", "|s", "-> e; <- e, ee, es");
        base("NX1", "|", "-> e; <- e, ee, s; -> es");
        base("X1N", "|", "-> e; <- e, ee; -> s; <- se");
        base("X1K", "|s", "-> e, es; <- e, ee; -> s; <- se");
        base("XK1", "|s", "-> e; <- e, ee, es; -> s, se");
        base("X1K1", "|s", "-> e; <- e, ee, es; -> s; <- se");
        base("X1X", "|", "-> e; <- e, ee, s, es; -> s; <- se");
        base("XX1", "|", "-> e; <- e, ee, s; -> es, s, se");
        base("X1X1", "|", "-> e; <- e, ee, s; -> es, s; <- se");
        base("K1N", "s|", "-> e; <- e, ee; -> se");
        base("K1K", "s|s", "-> e, es; <- e, ee; -> se");
        base("KK1", "s|s", "-> e; <- e, ee, se, es");
        base("K1K1", "s|s", "-> e; <- e, ee, es; -> se");
        base("K1X", "s|", "-> e; <- e, ee, s, es; -> se");
        base("KX1", "s|", "-> e; <- e, ee, se, s; -> es");
        base("K1X1", "s|", "-> e; <- e, ee, s; -> se, es");
        base("I1N", "|", "-> e, s; <- e, ee; -> se");
        base("I1K", "|s", "-> e, es, s; <- e, ee; -> se");
        base("IK1", "|s", "-> e, s; <- e, ee, se, es");
        base("I1K1", "|s", "-> e, s; <- e, ee, es; -> se");
        base("I1X", "|", "-> e, s; <- e, ee, s, es; -> se");
        base("IX1", "|", "-> e, s; <- e, ee, se, s; -> es");
        base("I1X1", "|", "-> e, s; <- e, ee, s; -> se, es");
    }

    /** The names of every base pattern this implementation knows. */
    public static List<String> baseNames() {
        return List.copyOf(BASE.keySet());
    }

    /**
     * The pattern for a name: a base pattern followed by modifiers joined with '+'
     * ({@code XXpsk3}, {@code NNpsk0+psk2}, {@code XKhfs}, {@code IKhfs+psk2}).
     *
     * @throws IllegalArgumentException for an unknown base pattern or modifier, a psk position
     *     past the last message, a repeated modifier, or hfs on a one-way pattern
     */
    public static HandshakePattern parse(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Noise pattern name is empty");
        }
        int i = 0;
        while (i < name.length() && "NKXI1".indexOf(name.charAt(i)) >= 0) {
            i++;
        }
        String baseName = name.substring(0, i);
        String[] def = BASE.get(baseName);
        if (def == null) {
            throw new IllegalArgumentException("unknown Noise handshake pattern '" + baseName + "' in '" + name + "'");
        }
        String[] pre = def[0].split("\\|", -1);
        List<Token> preI = tokens(pre[0]);
        List<Token> preR = tokens(pre[1]);
        List<MessagePattern> msgs = new ArrayList<>();
        Role sender = Role.INITIATOR;
        for (String m : def[1].split(";")) {
            String t = m.strip();
            Role declared = t.startsWith("->") ? Role.INITIATOR : Role.RESPONDER;
            if (declared != sender) {
                throw new IllegalStateException("pattern table error in " + baseName);
            }
            msgs.add(new MessagePattern(sender, tokens(t.substring(2))));
            sender = sender.peer();
        }
        String mods = name.substring(i);
        if (!mods.isEmpty()) {
            List<String> list = List.of(mods.split("\\+", -1));
            if (list.stream().distinct().count() != list.size()) {
                throw new IllegalArgumentException("repeated Noise pattern modifier in '" + name + "'");
            }
            // hfs first: its placement rule looks at e and DH tokens only, psk positions are per message.
            if (list.contains("hfs")) {
                msgs = applyHfs(name, msgs);
            }
            BitSet pskSeen = new BitSet();
            for (String mod : list) {
                if (mod.equals("hfs")) {
                    continue;
                }
                if (!mod.matches("psk[0-9]{1,2}")) {
                    throw new IllegalArgumentException("unknown Noise pattern modifier '" + mod + "' in '" + name + "'");
                }
                int n = Integer.parseInt(mod.substring(3));
                if (n > msgs.size()) {
                    throw new IllegalArgumentException("modifier " + mod + " names message " + n + " but '" + baseName
                            + "' has " + msgs.size());
                }
                pskSeen.set(n);
                if (n == 0) {
                    MessagePattern first = msgs.get(0);
                    List<Token> t = new ArrayList<>(first.tokens());
                    t.addFirst(Token.PSK);
                    msgs.set(0, new MessagePattern(first.sender(), t));
                } else {
                    MessagePattern m = msgs.get(n - 1);
                    List<Token> t = new ArrayList<>(m.tokens());
                    t.add(Token.PSK);
                    msgs.set(n - 1, new MessagePattern(m.sender(), t));
                }
            }
        }
        return new HandshakePattern(name, preI, preR, msgs);
    }

    /**
     * The hfs modifier (Noise HFS extension draft): {@code e1} goes into the initiator's first
     * message that carries {@code e}, after that {@code e} and the DH tokens directly following it
     * (so in NK, XK and IK the KEM public key is encrypted under the {@code es} key);
     * {@code ekem1} goes directly after the first {@code ee} of the responder.
     */
    private static List<MessagePattern> applyHfs(String name, List<MessagePattern> in) {
        if (in.size() < 2) {
            throw new IllegalArgumentException("hfs needs an interactive pattern, not '" + name + "'");
        }
        List<MessagePattern> out = new ArrayList<>(in);
        boolean e1Done = false;
        boolean kemDone = false;
        for (int m = 0; m < out.size(); m++) {
            MessagePattern mp = out.get(m);
            List<Token> t = new ArrayList<>(mp.tokens());
            if (!e1Done && mp.sender() == Role.INITIATOR && t.contains(Token.E)) {
                int at = t.indexOf(Token.E) + 1;
                while (at < t.size() && t.get(at).isDh()) {
                    at++;
                }
                t.add(at, Token.E1);
                e1Done = true;
            } else if (e1Done && !kemDone && mp.sender() == Role.RESPONDER && t.contains(Token.EE)) {
                t.add(t.indexOf(Token.EE) + 1, Token.EKEM1);
                kemDone = true;
            }
            out.set(m, new MessagePattern(mp.sender(), t));
        }
        if (!e1Done || !kemDone) {
            throw new IllegalArgumentException("hfs cannot be applied to '" + name + "'");
        }
        return out;
    }

    private static List<Token> tokens(String list) {
        List<Token> out = new ArrayList<>();
        for (String s : list.split(",")) {
            String t = s.strip();
            if (t.isEmpty()) {
                continue;
            }
            Token tok = null;
            for (Token candidate : Token.values()) {
                if (candidate.specName().equals(t)) {
                    tok = candidate;
                }
            }
            if (tok == null) {
                throw new IllegalStateException("pattern table error: token " + t);
            }
            out.add(tok);
        }
        return out;
    }

    /** True for N, K, X (and their psk variants): one message, initiator to responder only. */
    public boolean isOneWay() {
        return messages.size() == 1;
    }

    /** True when the pattern carries psk tokens (then every {@code e} token also runs MixKey). */
    public boolean isPsk() {
        return pskCount() > 0;
    }

    /** How many pre-shared keys the handshake consumes. */
    public int pskCount() {
        return (int) messages.stream().flatMap(m -> m.tokens().stream()).filter(t -> t == Token.PSK).count();
    }

    /** True when the pattern carries the KEM tokens e1/ekem1 (hfs modifier). */
    public boolean usesKem() {
        return messages.stream().anyMatch(m -> m.tokens().contains(Token.E1));
    }

    /** Whether {@code role} needs its own static key pair for this pattern. */
    public boolean needsLocalStatic(Role role) {
        List<Token> pre = role == Role.INITIATOR ? initiatorPreMessage : responderPreMessage;
        if (pre.contains(Token.S)) {
            return true;
        }
        for (MessagePattern m : messages) {
            if (m.sender() == role && m.tokens().contains(Token.S)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code role} must know the peer's static public key before the handshake. */
    public boolean needsRemoteStatic(Role role) {
        return (role == Role.INITIATOR ? responderPreMessage : initiatorPreMessage).contains(Token.S);
    }

    /** Whether {@code role} must know the peer's ephemeral public key before the handshake. */
    public boolean needsRemoteEphemeral(Role role) {
        return (role == Role.INITIATOR ? responderPreMessage : initiatorPreMessage).contains(Token.E);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name).append(":\n");
        if (!initiatorPreMessage.isEmpty()) {
            b.append("  -> ").append(join(initiatorPreMessage)).append('\n');
        }
        if (!responderPreMessage.isEmpty()) {
            b.append("  <- ").append(join(responderPreMessage)).append('\n');
        }
        if (!initiatorPreMessage.isEmpty() || !responderPreMessage.isEmpty()) {
            b.append("  ...\n");
        }
        for (MessagePattern m : messages) {
            b.append("  ").append(m).append('\n');
        }
        return b.toString();
    }

    private static String join(List<Token> t) {
        return t.stream().map(Token::specName).collect(Collectors.joining(", "));
    }
}
