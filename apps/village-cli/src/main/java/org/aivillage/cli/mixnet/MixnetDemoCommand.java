package org.aivillage.cli.mixnet;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code village demo-mixnet} (hidden): the mixnet act of the demo on its own. */
@Command(name = "demo-mixnet", hidden = true, mixinStandardHelpOptions = true,
        description = "Start a small testnet, send through 3-hop circuits in every anonymity level, shut down.")
public final class MixnetDemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return MixnetDemo.run(spec.commandLine().getOut());
    }
}
