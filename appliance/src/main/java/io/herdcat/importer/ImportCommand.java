package io.herdcat.importer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code herdcat import workers.properties [--uriworkermap FILE] [--server-xml FILE] [--out DIR]
 * [--keep-tomcats]}: prints each node's {@code herdcat.properties} (or writes them into DIR, one
 * file per node) and lists on stderr what was not imported.
 */
public final class ImportCommand {
    public static final String NAME = "import";
    private static final String URI_MAP = "--uriworkermap";
    private static final String SERVER_XML = "--server-xml";
    private static final String OUT = "--out";
    private static final String KEEP = "--keep-tomcats";

    private ImportCommand() {
    }

    public static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name(NAME).mixinStandardHelpOptions(true);
        spec.usageMessage().description(
                "Turns an httpd + mod_jk + Tomcat configuration into herdcat.properties files: each member of a "
                        + "load balancer in worker.list becomes a node, named by its route.",
                "What has no Herdcat equivalent is listed, with the reason, on stderr and at the end of each file.");
        spec.addPositional(PositionalParamSpec.builder().paramLabel("WORKERS").type(Path.class).arity("1")
                .description("mod_jk's workers.properties").build());
        spec.addOption(OptionSpec.builder(URI_MAP).paramLabel("FILE").type(Path.class)
                .description("mod_jk's uriworkermap.properties (mounts)").build());
        spec.addOption(OptionSpec.builder(SERVER_XML).paramLabel("FILE").type(Path.class)
                .description("a Tomcat server.xml: its connectors go to the node of its Engine's jvmRoute "
                        + "(every node when it has none), its Cluster to every node").build());
        spec.addOption(OptionSpec.builder(OUT).paramLabel("DIR").type(Path.class)
                .description("write NODE.properties files into DIR (created) instead of printing them").build());
        spec.addOption(OptionSpec.builder(KEEP).arity("0")
                .description("keep the Tomcats as they are: one herdcat.properties for a node whose front "
                        + "forwards to them (front.nodes)").build());
        return spec;
    }

    /** Runs the parsed {@code import} subcommand; a file it cannot use throws ConfigException (exit 2). */
    public static int run(ParseResult sub, PrintStream out, PrintStream err, Path workingDir) throws IOException {
        Path workers = resolve(workingDir, sub.matchedPositionalValue(0, null));
        Path uriMap = resolve(workingDir, sub.matchedOptionValue(URI_MAP, null));
        Path serverXml = resolve(workingDir, sub.matchedOptionValue(SERVER_XML, null));
        Path outGiven = sub.matchedOptionValue(OUT, null);
        Path outDir = resolve(workingDir, outGiven);
        for (Path p : new Path[] {workers, uriMap, serverXml}) {
            if (p != null && !Files.isRegularFile(p)) {
                throw new io.herdcat.config.ConfigException("import: " + p + " does not exist or is not a file");
            }
        }
        ConfigImport.Result result = ConfigImport.run(workers, uriMap, serverXml, sub.hasMatchedOption(KEEP));
        for (String line : result.notImported()) {
            err.println("herdcat import: not imported: " + line);
        }
        if (outDir != null) {
            Files.createDirectories(outDir);
            for (Map.Entry<String, String> f : result.files().entrySet()) {
                Files.writeString(outDir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
                err.println("herdcat import: wrote " + outGiven.resolve(f.getKey()));
            }
        } else {
            result.files().forEach((name, text) -> {
                out.println("# ==> " + name + " <==");
                out.print(text);
                out.println();
            });
        }
        return 0;
    }

    private static Path resolve(Path workingDir, Path p) {
        return p == null ? null : workingDir.resolve(p);
    }
}
