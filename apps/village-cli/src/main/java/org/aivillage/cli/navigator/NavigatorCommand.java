package org.aivillage.cli.navigator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.aivillage.navigator.ContactGraph;
import org.aivillage.navigator.ContactRoute;
import org.aivillage.navigator.Navigator;
import org.aivillage.navigator.ParetoFrontier;
import org.aivillage.navigator.RouteResult;
import org.aivillage.navigator.RoutingRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code village navigator}: path queries over a graph file. Exit status: 0 when a route was
 * found, 1 when there is none, 2 for bad input (options or file).
 */
@Command(name = "navigator", mixinStandardHelpOptions = true,
        description = "Constrained, k-shortest, Pareto and contact-graph path finding over a graph file.",
        subcommands = {NavigatorCommand.PathCmd.class, NavigatorCommand.KPathsCmd.class,
                NavigatorCommand.ParetoCmd.class, NavigatorCommand.ContactsCmd.class})
public final class NavigatorCommand implements Runnable {
    static final int FOUND = 0;
    static final int NO_ROUTE = 1;
    static final int BAD_INPUT = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs a query, turning bad files and bad values into a message and exit status 2. */
    private interface Query {
        int run(PrintWriter out) throws Exception;
    }

    private static int guarded(CommandLine.Model.CommandSpec spec, Query q) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            int code = q.run(out);
            out.flush();
            return code;
        } catch (GraphFile.BadFileException | IllegalArgumentException e) {
            err.println("village navigator: " + e.getMessage());
            err.flush();
            return BAD_INPUT;
        }
    }

    @Command(name = "path", mixinStandardHelpOptions = true,
            description = "The optimal path for a goal under constraints, or why there is none.")
    static final class PathCmd implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        QueryOptions q;

        @Override
        public Integer call() throws Exception {
            return guarded(spec, out -> {
                RoutingRequest req = q.request();
                RouteResult r = new Navigator(q.readGraph()).findPath(req);
                switch (r) {
                    case RouteResult.Found f -> {
                        out.println(q.json ? Output.render(Output.json(f.route())) : Output.text(f.route()));
                        return FOUND;
                    }
                    case RouteResult.NoRoute nr -> {
                        if (q.json) {
                            out.println(Output.render(Output.json(nr)));
                        } else {
                            Output.noRoute(out, nr);
                        }
                        return NO_ROUTE;
                    }
                }
            });
        }
    }

    @Command(name = "kpaths", mixinStandardHelpOptions = true,
            description = "Up to k loop-free paths in order of the goal, each meeting the constraints (Yen).")
    static final class KPathsCmd implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        QueryOptions q;

        @Option(names = {"-k", "--k"}, defaultValue = "3", paramLabel = "K",
                description = "how many paths (default: ${DEFAULT-VALUE})")
        int k;

        @Override
        public Integer call() throws Exception {
            return guarded(spec, out -> {
                if (k < 1 || k > Navigator.MAX_K) {
                    throw new IllegalArgumentException("-k must be within 1.." + Navigator.MAX_K + ", got " + k);
                }
                List<org.aivillage.navigator.Path> paths = new Navigator(q.readGraph()).findKShortestPaths(q.request(), k);
                if (q.json) {
                    out.println(Output.render(Output.paths(paths)));
                } else if (paths.isEmpty()) {
                    out.println("no route");
                } else {
                    for (int i = 0; i < paths.size(); i++) {
                        out.println((i + 1) + ". " + Output.text(paths.get(i)));
                    }
                }
                return paths.isEmpty() ? NO_ROUTE : FOUND;
            });
        }
    }

    @Command(name = "pareto", mixinStandardHelpOptions = true,
            description = "The Pareto frontier over (latency, cost, reliability) under the constraints.")
    static final class ParetoCmd implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        QueryOptions q;

        @Option(names = "--max-paths", defaultValue = "20", paramLabel = "N",
                description = "largest frontier to print (default: ${DEFAULT-VALUE})")
        int maxPaths;

        @Override
        public Integer call() throws Exception {
            return guarded(spec, out -> {
                ParetoFrontier f = new Navigator(q.readGraph()).findParetoPaths(q.request(), maxPaths);
                if (q.json) {
                    var o = Output.paths(f.paths());
                    o.put("complete", f.complete());
                    o.put("truncated", f.truncated());
                    out.println(Output.render(o));
                } else {
                    if (f.paths().isEmpty()) {
                        out.println("no route");
                    }
                    for (int i = 0; i < f.paths().size(); i++) {
                        out.println((i + 1) + ". " + Output.text(f.paths().get(i)));
                    }
                    if (!f.complete()) {
                        out.println("(search budget reached: the frontier may be incomplete)");
                    }
                    if (f.truncated()) {
                        out.println("(frontier thinned to " + maxPaths + " paths)");
                    }
                }
                return f.paths().isEmpty() ? NO_ROUTE : FOUND;
            });
        }
    }

    @Command(name = "contacts", mixinStandardHelpOptions = true,
            description = "Earliest-arrival routes through a contact plan (contact graph routing).")
    static final class ContactsCmd implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--plan", required = true, paramLabel = "FILE", description = "contact plan (JSON)")
        Path plan;

        @Option(names = "--from", required = true, paramLabel = "NODE")
        String from;

        @Option(names = "--to", required = true, paramLabel = "NODE")
        String to;

        @Option(names = "--start", defaultValue = "0", paramLabel = "MS", description = "departure time (ms)")
        long start;

        @Option(names = "--size", defaultValue = "0", paramLabel = "BYTES", description = "bundle size (bytes)")
        long size;

        @Option(names = "--routes", defaultValue = "1", paramLabel = "N",
                description = "how many routes, CGR style (default: ${DEFAULT-VALUE})")
        int routes;

        @Option(names = "--avoid", split = ",", paramLabel = "NODE", description = "nodes to avoid (comma-separated)")
        List<String> avoid = List.of();

        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return guarded(spec, out -> {
                if (routes < 1 || routes > 1000) {
                    throw new IllegalArgumentException("--routes must be within 1..1000, got " + routes);
                }
                ContactGraph g = new ContactGraph(GraphFile.readContacts(plan));
                List<ContactRoute> found = g.routes(from, to, start, size, routes, Set.copyOf(avoid));
                if (json) {
                    var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                    var arr = o.putArray("routes");
                    found.forEach(r -> arr.add(Output.json(r)));
                    out.println(Output.render(o));
                } else if (found.isEmpty()) {
                    out.println("no route");
                } else {
                    for (int i = 0; i < found.size(); i++) {
                        out.println((i + 1) + ". " + Output.text(found.get(i)));
                    }
                }
                return found.isEmpty() ? NO_ROUTE : FOUND;
            });
        }
    }
}
