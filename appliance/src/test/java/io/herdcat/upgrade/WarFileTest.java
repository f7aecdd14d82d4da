package io.herdcat.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upload is refused, in one line saying why, unless it is a whole WAR under a usable name. */
class WarFileTest {
    private static final byte[] PAGE = "<html>version 2</html>\n".repeat(40).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path war(String name, String... entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String entry : entries) {
                ZipEntry e = new ZipEntry(entry);
                if (entry.equals("stored.html")) {
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(PAGE.length);
                    CRC32 crc = new CRC32();
                    crc.update(PAGE);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                if (!entry.endsWith("/")) {
                    zip.write(PAGE);
                }
                zip.closeEntry();
            }
        }
        return file;
    }

    @Test
    void aWholeWarIsDescribed() throws Exception {
        Path file = war("shop.war", "WEB-INF/", "WEB-INF/web.xml", "index.html");
        WarFile war = WarFile.check(file, "shop##2.war");
        assertEquals("/shop", war.contextPath());
        assertEquals(3, war.entries());
        assertEquals(Files.size(file), war.size());
        assertEquals(64, war.sha256().length());
        assertEquals("/", WarFile.check(file, "ROOT.war").contextPath());
    }

    @Test
    void aTruncatedUploadIsRefused() throws Exception {
        Path file = war("shop.war", "WEB-INF/web.xml", "index.html");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 30));
        WarFile.NotAWar e = assertThrows(WarFile.NotAWar.class, () -> WarFile.check(file, "shop.war"));
        assertTrue(e.getMessage().contains("not a complete zip"), e.getMessage());
    }

    @Test
    void aDamagedEntryIsRefusedByName() throws Exception {
        Path file = war("shop.war", "WEB-INF/web.xml", "stored.html");
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, "version 2".getBytes(StandardCharsets.UTF_8), bytes.length / 2);
        bytes[at] ^= 0x20;
        Files.write(file, bytes);
        WarFile.NotAWar e = assertThrows(WarFile.NotAWar.class, () -> WarFile.check(file, "shop.war"));
        assertTrue(e.getMessage().contains("'stored.html' is damaged"), e.getMessage());
    }

    @Test
    void notAZipAnEmptyZipOrABadNameIsRefused() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.war"), "not a zip at all");
        assertTrue(assertThrows(WarFile.NotAWar.class, () -> WarFile.check(text, "notes.war")).getMessage()
                .contains("not a complete zip"));
        Path empty = war("empty.war");
        assertTrue(assertThrows(WarFile.NotAWar.class, () -> WarFile.check(empty, "empty.war")).getMessage()
                .contains("empty zip"));
        Path good = war("shop.war", "index.html");
        for (String name : new String[] {"shop.zip", "../shop.war", "shop war.war", ".war", null}) {
            assertThrows(WarFile.NotAWar.class, () -> WarFile.check(good, name), String.valueOf(name));
        }
        Path escaping = war("evil.war", "../../etc/cron.d/x");
        assertTrue(assertThrows(WarFile.NotAWar.class, () -> WarFile.check(escaping, "evil.war")).getMessage()
                .contains("outside the webapp"));
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i <= haystack.length - needle.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
