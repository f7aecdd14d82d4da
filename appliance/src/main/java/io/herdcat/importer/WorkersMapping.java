package io.herdcat.importer;

import io.herdcat.config.Setting;
import io.herdcat.importer.WorkersFile.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@code workers.properties} into nodes: every member of a load balancer in
 * {@code worker.list} (and every ajp13 worker listed on its own) becomes a node named by its route,
 * with the lb's and the member's attributes mapped to Herdcat settings. Worker names that mod_jk
 * would need but the file does not define are errors; what has no equivalent is collected.
 */
final class WorkersMapping {
    /** The member attributes mapped by {@link MemberSettings}. */
    static final Set<String> MEMBER_MAPPED = Set.of("port", "lbfactor", "activation", "disabled", "stopped", "secret",
            "connection_pool_size", "cachesize", "connection_pool_timeout", "cache_timeout", "ping_mode",
            "max_packet_size", "reply_timeout", "route", "jvm_route", "type", "reference", "host", "mount");
    private static final Set<String> LB_MAPPED = Set.of("type", "balance_workers", "balanced_workers",
            "sticky_session", "sticky_session_force", "method", "secret", "reference", "mount");

    private final WorkersFile file;
    private final Map<String, NodeFile> nodes = new LinkedHashMap<>();
    /** Each node's worker, for front.nodes. */
    private final Map<String, String> workerOfNode = new LinkedHashMap<>();
    private final List<Unmapped> shared = new ArrayList<>();

    private WorkersMapping(WorkersFile file) {
        this.file = file;
    }

    /** The nodes and what applies to all of them; mounts are checked against the workers. */
    static WorkersMapping map(WorkersFile file, List<UriWorkerMap.Mount> mounts) {
        WorkersMapping m = new WorkersMapping(file);
        m.mapWorkers();
        m.mapMounts(mounts);
        return m;
    }

    List<NodeFile> nodes() {
        return List.copyOf(nodes.values());
    }

    List<Unmapped> shared() {
        return List.copyOf(shared);
    }

    WorkersFile file() {
        return file;
    }

    String workerOf(NodeFile node) {
        return workerOfNode.get(node.name());
    }

    private void mapWorkers() {
        Value list = file.global("worker.list").orElseThrow(() -> new SourceLine(file.fileName(), 0)
                .error("has no worker.list: mod_jk would use none of its workers"));
        Set<String> used = new LinkedHashSet<>();
        long balancers = WorkersFile.items(list.text()).stream()
                .filter(n -> file.definedWorkers().contains(n) && type(n).equals("lb")).count();
        for (String name : WorkersFile.items(list.text())) {
            SourceLine listed = file.itemSource("worker.list", name);
            requireDefined(name, listed, "worker.list");
            used.add(name);
            String type = type(name);
            switch (type) {
                case "lb" -> used.addAll(mapBalancer(name, balancers > 1));
                case "ajp13", "ajp14" -> {
                    NodeFile node = addNode(name, null);
                    new MemberWeights(file).apply(List.of(node), List.of(name));
                    node.unmapped(new Unmapped(listed, "worker " + name,
                            "mounted on its own, not balanced: as a node it gets its weight's share of new sessions"));
                }
                case "status" -> shared.add(new Unmapped(listed, "status worker " + name,
                        "use 'herdcat status' or the admin port's status page and /status instead"));
                default -> shared.add(new Unmapped(listed, "worker " + name + " (type " + type + ")",
                        "only ajp13 workers behind an lb become nodes"));
            }
        }
        Set<String> templates = new LinkedHashSet<>();
        for (String w : file.definedWorkers()) {
            file.attribute(w, "reference").ifPresent(r -> templates.add(r.text().replaceFirst("^worker\\.", "")
                    .replaceFirst("\\.$", "")));
        }
        for (String w : file.definedWorkers()) {
            if (!used.contains(w) && !templates.contains(w)) {
                SourceLine at = file.attributes(w).values().iterator().next().source();
                shared.add(new Unmapped(at, "worker " + w,
                        "not in worker.list nor a member of a listed lb: mod_jk does not create it"));
            }
        }
        file.global("worker.maintain").ifPresent(v -> shared.add(new Unmapped(v.source(), "worker.maintain",
                "the front watches nodes continuously; there is no maintenance interval")));
        file.others().forEach((k, v) -> shared.add(new Unmapped(v.source(), k,
                "not a worker attribute (a $(…) variable of this file)")));
    }

    /** The lb's members as nodes; with several lbs, each lb's nodes form a cluster named after it. */
    private Set<String> mapBalancer(String lb, boolean ownCluster) {
        Map<String, Value> attrs = file.attributes(lb);
        Map<String, SourceLine> memberLines = new LinkedHashMap<>();
        for (String key : List.of("balance_workers", "balanced_workers")) {
            Value v = attrs.get(key);
            if (v != null) {
                for (String m : WorkersFile.items(v.text())) {
                    SourceLine at = file.itemSource("worker." + lb + "." + key, m);
                    requireDefined(m, at, "worker." + lb + "." + key);
                    memberLines.putIfAbsent(m, at);
                }
            }
        }
        List<String> members = new ArrayList<>(memberLines.keySet());
        if (members.isEmpty()) {
            throw new SourceLine(file.fileName(), 0).error("lb worker '" + lb + "' has no balance_workers");
        }
        List<NodeFile> lbNodes = new ArrayList<>();
        for (String member : members) {
            String type = type(member);
            if (!type.equals("ajp13") && !type.equals("ajp14")) {
                throw memberLines.get(member).error("lb member '" + member + "' is of type " + type
                        + "; mod_jk balances only ajp13 workers");
            }
            lbNodes.add(addNode(member, lb));
        }
        new BalancerSettings(lb, attrs).apply(lbNodes);
        if (ownCluster) {
            SourceLine at = file.itemSource("worker.list", lb);
            lbNodes.forEach(n -> n.set(Setting.CLUSTER, lb, at, "one cluster per lb of worker.list"));
        }
        new MemberWeights(file).apply(lbNodes, members);
        for (Map.Entry<String, Value> e : attrs.entrySet()) {
            if (!LB_MAPPED.contains(e.getKey())) {
                Unmapped u = new Unmapped(e.getValue().source(), "worker." + lb + "."
                        + Unmapped.shown(e.getKey(), e.getValue().text()), WorkerAttributes.reason(e.getKey()));
                lbNodes.forEach(n -> n.unmapped(u));
            }
        }
        return new LinkedHashSet<>(members);
    }

    private NodeFile addNode(String worker, String lb) {
        String route = file.attribute(worker, "route").or(() -> file.attribute(worker, "jvm_route"))
                .map(Value::text).orElse(worker);
        NodeFile existing = nodes.get(route);
        if (existing != null) {
            existing.unmapped(new Unmapped(new SourceLine(file.fileName(), 0), "worker " + worker
                    + (lb == null ? "" : " in lb " + lb), "one node per route: already imported as node " + route));
            return existing;
        }
        NodeFile node = new NodeFile(route);
        SourceLine defined = file.attribute(worker, "route")
                .orElse(file.attributes(worker).values().iterator().next()).source();
        node.set(Setting.NAME, route, defined, "worker " + worker + "; the jvmRoute sticky sessions follow");
        nodes.put(route, node);
        workerOfNode.put(route, worker);
        new MemberSettings(worker, file.attributes(worker)).apply(node);
        return node;
    }

    private void mapMounts(List<UriWorkerMap.Mount> given) {
        List<UriWorkerMap.Mount> mounts = new ArrayList<>(given);
        for (String w : file.definedWorkers()) {
            file.attribute(w, "mount").ifPresent(v -> {
                for (String pattern : WorkersFile.items(v.text())) {
                    mounts.add(UriWorkerMap.parse(pattern + "=" + w, v.source()));
                }
            });
        }
        for (UriWorkerMap.Mount m : mounts) {
            requireDefined(m.worker(), m.source(), "the mount " + m.describe());
            boolean toNodes = type(m.worker()).equals("lb") || nodes.containsKey(route(m.worker()));
            if (m.disabled()) {
                shared.add(new Unmapped(m.source(), "mount " + m.describe(), "disabled in the file"));
            } else if (m.exclusion()) {
                shared.add(new Unmapped(m.source(), "mount " + m.describe(), "the front forwards every path to "
                        + "the nodes; what httpd served itself must be served by a webapp or another server"));
            } else if (!toNodes) {
                shared.add(new Unmapped(m.source(), "mount " + m.describe(), "its worker is not a node"));
            }
        }
    }

    private String route(String worker) {
        return file.attribute(worker, "route").map(Value::text).orElse(worker);
    }

    private String type(String worker) {
        return file.attribute(worker, "type").map(v -> v.text().toLowerCase(Locale.ROOT)).orElse("ajp13");
    }

    private void requireDefined(String worker, SourceLine at, String where) {
        if (!file.definedWorkers().contains(worker)) {
            throw at.error(where + " names unknown worker '" + worker + "' (defined: "
                    + String.join(", ", file.definedWorkers()) + ")");
        }
    }

}
