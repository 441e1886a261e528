package org.aivillage.betanet.noise;

import java.util.List;
import java.util.stream.Collectors;

/** One handshake message: who sends it and the tokens it carries, in order. */
public record MessagePattern(Role sender, List<Token> tokens) {
    public MessagePattern {
        tokens = List.copyOf(tokens);
    }

    @Override
    public String toString() {
        return (sender == Role.INITIATOR ? "-> " : "<- ")
                + tokens.stream().map(Token::specName).collect(Collectors.joining(", "));
    }
}
