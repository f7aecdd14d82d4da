package io.herdcat.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a mod_jk {@code workers.properties}, optionally its {@code uriworkermap.properties} and a
 * Tomcat {@code server.xml}, and yields one {@code herdcat.properties} text per node (or, keeping the
 * Tomcats, one for a front over them) and the list of what was not imported.
 */
public final class ConfigImport {
    /** The import's outcome: file name to text, and what has no equivalent (each once). */
    public record Result(Map<String, String> files, List<String> notImported) {
    }

    private ConfigImport() {
    }

    /**
     * @param workers     the workers.properties
     * @param uriWorkerMap the uriworkermap.properties, or null
     * @param serverXml   a server.xml, or null
     * @param keepTomcats one front over the Tomcats (front.nodes) instead of a node per Tomcat
     */
    public static Result run(Path workers, Path uriWorkerMap, Path serverXml, boolean keepTomcats) throws IOException {
        WorkersFile file = WorkersFile.read(workers);
        List<UriWorkerMap.Mount> mounts = uriWorkerMap == null ? List.of() : UriWorkerMap.read(uriWorkerMap);
        WorkersMapping mapping = WorkersMapping.map(file, mounts);
        List<Unmapped> shared = new ArrayList<>(mapping.shared());
        List<NodeFile> nodes = mapping.nodes();
        if (serverXml != null) {
            ServerXmlMapping.apply(XmlElement.read(serverXml), nodes, shared);
        }
        if (keepTomcats) {
            nodes = List.of(FrontNodes.of(mapping));
        }
        List<String> inputs = new ArrayList<>();
        for (Path p : new Path[] {workers, uriWorkerMap, serverXml}) {
            if (p != null) {
                inputs.add(p.getFileName().toString());
            }
        }
        Map<String, String> files = new LinkedHashMap<>();
        List<String> notImported = new ArrayList<>();
        for (NodeFile n : nodes) {
            files.put(n.name() + ".properties", PropertiesWriter.render(n, shared, inputs));
            n.unmapped().forEach(u -> notImported.add(n.name() + ": " + u.describe()));
        }
        shared.forEach(u -> notImported.add(u.describe()));
        return new Result(files, notImported);
    }
}
