package org.aivillage.cli.mixnet;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.aivillage.config.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code village testnet up|down|status}. */
@Command(name = "testnet", mixinStandardHelpOptions = true,
        description = "A local BetaNet testnet: directory, mixnodes and a gateway as separate processes on loopback.",
        subcommands = {TestnetCommand.Up.class, TestnetCommand.Down.class, TestnetCommand.Status.class})
public final class TestnetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class DirOption {
        @Option(names = "--dir", paramLabel = "DIR", description = "State directory (default: $VILLAGE_TESTNET_DIR or ~/.village/testnet).")
        Path dir;

        Path resolve() {
            return dir != null ? dir : Testnet.defaultDir();
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start a testnet and print its addresses.")
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DirOption dir = new DirOption();

        @Option(names = "--mixnodes", defaultValue = "6", description = "Number of mixnodes (default ${DEFAULT-VALUE}).")
        int mixnodes;

        @Option(names = "--layers", defaultValue = "3", description = "Number of mix layers (default ${DEFAULT-VALUE}).")
        int layers;

        @Option(names = "--key-epoch", defaultValue = "3600", paramLabel = "SECONDS", description = "Sphinx key epoch length.")
        long keyEpoch;

        @Option(names = "--no-cover", description = "Start the nodes without loop and drop cover traffic.")
        boolean noCover;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            Testnet.State s = Testnet.up(dir.resolve(), mixnodes, layers, keyEpoch, !noCover, Duration.ofSeconds(90), out);
            out.printf("testnet up in %.1f s (state in %s)%n", (System.nanoTime() - t0) / 1e9, s.dir());
            print(out, s);
            out.println("send through it:  village client send --hops 3 \"hello\"");
            out.println("stop it:          village testnet down");
            return 0;
        }
    }

    static void print(PrintWriter out, Testnet.State s) {
        out.printf("directory  %s   authority %s%n", s.directoryUrl(), s.authorityHex());
        out.printf("%-12s %-9s %-5s %-21s %-21s %-21s %s%n", "NAME", "ROLE", "LAYER", "LINK", "ADMIN", "TOPOLOGY MIRROR", "PID");
        for (Testnet.Proc p : s.processes()) {
            out.printf("%-12s %-9s %-5s %-21s %-21s %-21s %d%s%n", p.name(), p.role(), p.layer() == 0 ? "-" : p.layer(), p.link(),
                    p.admin(), p.mirror().isEmpty() ? "-" : p.mirror(), p.pid(), Testnet.alive(p) ? "" : " (not running)");
        }
        out.flush();
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the testnet started by 'testnet up'.")
    static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DirOption dir = new DirOption();

        @Override
        public Integer call() throws Exception {
            Optional<Testnet.State> s = Testnet.read(dir.resolve());
            if (s.isEmpty()) {
                throw new UserException("no testnet state in " + dir.resolve() + " (nothing to stop)");
            }
            int n = Testnet.down(s.get(), Duration.ofSeconds(15));
            spec.commandLine().getOut().printf("stopped %d processes%n", n);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the testnet's processes.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DirOption dir = new DirOption();

        @Override
        public Integer call() throws Exception {
            Optional<Testnet.State> s = Testnet.read(dir.resolve());
            if (s.isEmpty()) {
                spec.commandLine().getOut().println("no testnet in " + dir.resolve());
                return 1;
            }
            print(spec.commandLine().getOut(), s.get());
            return 0;
        }
    }
}
