package io.herdcat.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.cli.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built {@code herdcat.jar} carries Herdcat's own license, a CycloneDX SBOM of what it bundles, and a
 * license file for every bundled library. The list of bundled libraries comes from the jar itself: the SBOM's
 * components and the Maven descriptors ({@code META-INF/maven/.../pom.properties}) the bundled jars brought
 * along, so a library added to the build without its license fails here.
 */
class BundledLicensesIT {
    private static final String LICENSES = "META-INF/licenses/";
    private static final String SBOM = "META-INF/sbom/bom.json";

    private static Path jar;
    private static List<String> entries;
    private static Map<String, Object> bom;

    @BeforeAll
    static void readJar() throws IOException {
        jar = Path.of(System.getProperty("herdcat.jar"));
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            entries = Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
            ZipEntry sbom = zip.getEntry(SBOM);
            assertNotNull(sbom, "the jar holds " + SBOM);
            try (InputStream in = zip.getInputStream(sbom)) {
                bom = JsonReader.object(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void theSbomIsCycloneDxAndAlsoWrittenNextToTheJar() {
        assertEquals("CycloneDX", bom.get("bomFormat"));
        assertTrue(Files.isRegularFile(jar.resolveSibling("bom.json")), "target/bom.json");
        Map<?, ?> herdcat = (Map<?, ?>) ((Map<?, ?>) bom.get("metadata")).get("component");
        assertEquals("herdcat", herdcat.get("name"));
        assertTrue(String.valueOf(herdcat.get("licenses")).contains("Apache-2.0"), herdcat.toString());
    }

    @Test
    void theJarCarriesHerdcatsOwnLicenseAndNotice() throws IOException {
        String license = text("META-INF/LICENSE");
        assertTrue(license.contains("Apache License") && license.contains("Version 2.0, January 2004"), license);
        assertTrue(text("META-INF/NOTICE").startsWith("Herdcat\n"), "Herdcat's NOTICE");
    }

    @Test
    void everyBundledLibraryHasItsLicenseUnderMetaInfLicenses() {
        Set<String> names = new TreeSet<>();
        sbomLibraries().forEach(l -> names.add(l.split(":")[1]));
        for (String expected : List.of("tomcat-embed-core", "tomcat-embed-jasper", "ecj", "jgroups", "netty-common",
                "picocli", "logback-classic", "slf4j-api", "micrometer-core", "prometheus-metrics-core", "jna",
                "HdrHistogram", "LatencyUtils")) {
            assertTrue(names.contains(expected), "the SBOM lists " + expected + ": " + names);
        }
        Set<String> described = describedLibraries();
        assertTrue(described.contains("org.jgroups:jgroups") && described.contains("io.netty:netty-common"),
                described.toString());
        Set<String> bundled = new TreeSet<>(sbomLibraries());
        bundled.addAll(described);
        List<String> missing = new ArrayList<>();
        for (String library : bundled) {
            String[] ga = library.split(":");
            if (!hasLicense(LICENSES + ga[1] + "/") && !hasLicense(LICENSES + ga[0] + "/")) {
                missing.add(library);
            }
        }
        assertEquals(List.of(), missing, "libraries without a license file under " + LICENSES);
        for (Map<?, ?> component : components()) {
            assertNotNull(component.get("licenses"), "the SBOM names the license of " + component.get("name"));
        }
    }

    @Test
    void unusedPartsAreLeftOut() {
        assertFalse(entries.stream().anyMatch(e -> e.contains("/expositionformats/generated/")
                || e.startsWith("io/prometheus/metrics/shaded/")), "the Prometheus protobuf exposition");
        assertFalse(entries.stream().anyMatch(e -> e.startsWith("org/jgroups/demos/")), "JGroups' demos");
        assertTrue(entries.contains("io/prometheus/metrics/expositionformats/PrometheusTextFormatWriter.class"));
        // JGroups' class map names MPerf; the rest of its test programs go
        assertTrue(entries.contains("org/jgroups/tests/perf/MPerf$MPerfHeader.class"));
        assertFalse(entries.contains("org/jgroups/tests/perf/UPerf.class"), "JGroups' UPerf");
    }

    private boolean hasLicense(String dir) {
        return entries.stream().filter(e -> e.startsWith(dir) && !e.endsWith("/"))
                .map(e -> e.substring(dir.length()).toLowerCase(Locale.ROOT))
                .anyMatch(f -> f.startsWith("license") || f.equals("about.html"));
    }

    /** groupId:artifactId of each library the SBOM lists. */
    private static Set<String> sbomLibraries() {
        Set<String> libraries = new TreeSet<>();
        for (Map<?, ?> component : components()) {
            libraries.add(component.get("group") + ":" + component.get("name"));
        }
        return libraries;
    }

    /**
     * groupId:artifactId of each Maven descriptor in the jar; besides the bundled jars' own, these include
     * libraries a bundled jar carries inside it (Netty's copy of JCTools), which the SBOM does not list.
     */
    private static Set<String> describedLibraries() {
        Set<String> described = new TreeSet<>();
        for (String name : entries) {
            String[] parts = name.split("/");
            if (parts.length == 5 && name.startsWith("META-INF/maven/") && parts[4].equals("pom.properties")
                    && !parts[2].equals("io.herdcat")) {
                described.add(parts[2] + ":" + parts[3]);
            }
        }
        return described;
    }

    private static List<Map<?, ?>> components() {
        List<Map<?, ?>> components = new ArrayList<>();
        for (Object c : (List<?>) bom.get("components")) {
            components.add((Map<?, ?>) c);
        }
        return components;
    }

    private static String text(String entry) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            assertNotNull(e, entry);
            try (InputStream in = zip.getInputStream(e)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
