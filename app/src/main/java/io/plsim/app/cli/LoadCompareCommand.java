package io.plsim.app.cli;

import io.plsim.app.load.LoadComparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Lays runs of plsim load --json side by side, with ratios.",
            "",
            "Every figure (throughput, latency percentiles, errors, and each zone's when the runs went",
            "through an endpoint's DNS name) with its ratio to the first run's; --html also writes one",
            "page with the latency curves overlaid. Runs of one mode only."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:compared", "1:the page could not be written",
            "2:a file is missing, not a report, or of another mode"})
final class LoadCompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REPORT.json", arity = "2..*",
            description = "Reports of plsim load --json; the first is the base of the ratios.")
    List<Path> reports;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the comparison as one self-contained page.")
    Path html;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> unwritable = OutputFiles.problem(html);
        if (unwritable.isPresent()) {
            err.println("plsim load compare: " + unwritable.get());
            return Plsim.EXIT_BAD_INPUT;
        }
        LoadComparison c;
        try {
            c = LoadComparison.read(reports);
        } catch (LoadComparison.CompareException e) {
            err.println("plsim load compare: " + e.getMessage());
            return Plsim.EXIT_BAD_INPUT;
        }
        c.printTable(out);
        if (html != null) {
            try {
                c.writeHtml(html);
                out.println("  wrote " + html);
            } catch (IOException e) {
                err.println("plsim load compare: cannot write " + html + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }
}
