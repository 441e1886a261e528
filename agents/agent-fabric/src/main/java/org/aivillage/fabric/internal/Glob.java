package org.aivillage.fabric.internal;

import java.util.regex.Pattern;

/**
 * Shell-style globs for service discovery: {@code *} any run of characters, {@code ?} one
 * character, everything else literal. A pattern with {@code @} matches {@code name@version},
 * otherwise just the name.
 */
public final class Glob {
    private final Pattern pattern;
    private final boolean withVersion;

    private Glob(Pattern pattern, boolean withVersion) {
        this.pattern = pattern;
        this.withVersion = withVersion;
    }

    public static Glob compile(String glob) {
        if (glob == null || glob.isEmpty() || glob.length() > 256) {
            throw new IllegalArgumentException("pattern must be 1..256 characters");
        }
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return new Glob(Pattern.compile(re.toString(), Pattern.DOTALL), glob.indexOf('@') >= 0);
    }

    public boolean matches(String name, String version) {
        return pattern.matcher(withVersion ? name + "@" + version : name).matches();
    }
}
