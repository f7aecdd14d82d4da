package io.herdcat.upgrade;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;

/**
 * A WAR handed to an upgrade, checked whole before any node is touched: a complete zip (its central
 * directory is at the end, so a truncated upload has none) whose every entry reads back with the
 * checksum the zip records, under a file name that makes a context path.
 *
 * @param fileName    {@code shop.war} or {@code shop##2.war}
 * @param contextPath {@code /shop} ({@code /} for {@code ROOT.war})
 * @param size        bytes
 * @param sha256      of the whole file, hex: which build every node runs
 * @param entries     entries in the zip
 */
public record WarFile(String fileName, String contextPath, long size, String sha256, int entries) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(##[A-Za-z0-9._-]+)?\\.war");

    /** Why an upload is not a WAR this cluster will deploy; the message says it in one line. */
    public static final class NotAWar extends Exception {
        NotAWar(String message) {
            super(message);
        }
    }

    /**
     * Checks {@code file}, uploaded under {@code fileName}.
     *
     * @throws NotAWar     when the name, the zip or an entry is wrong
     * @throws IOException when the file cannot be read at all
     */
    /** True for a name a WAR may have here: no path, no odd characters, ending in {@code .war}. */
    public static boolean validName(String fileName) {
        return fileName != null && NAME.matcher(fileName).matches();
    }

    public static WarFile check(Path file, String fileName) throws NotAWar, IOException {
        if (!validName(fileName)) {
            throw new NotAWar("'" + fileName + "' is not a WAR file name: letters, digits, '.', '_', '-', an optional"
                    + " ##version, and .war (like shop.war or shop##2.war)");
        }
        int entries = 0;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                String name = e.getName();
                if (name.startsWith("/") || name.contains("\\") || ("/" + name + "/").contains("/../")) {
                    throw new NotAWar(fileName + ": entry '" + name + "' points outside the webapp");
                }
                if (!e.isDirectory()) {
                    readWhole(zip, e, fileName);
                }
                entries++;
            }
        } catch (ZipException e) {
            throw new NotAWar(fileName + " is not a complete zip (" + e.getMessage() + "): truncated, or not a WAR");
        }
        if (entries == 0) {
            throw new NotAWar(fileName + " is an empty zip");
        }
        return new WarFile(fileName, contextPath(fileName), Files.size(file), sha256(file), entries);
    }

    /** {@code /shop} for {@code shop.war} and {@code shop##2.war}, {@code /} for {@code ROOT.war}. */
    static String contextPath(String fileName) {
        String base = fileName.substring(0, fileName.length() - ".war".length());
        int version = base.indexOf("##");
        String name = version < 0 ? base : base.substring(0, version);
        return "ROOT".equals(name) ? "/" : "/" + name;
    }

    private static void readWhole(java.util.zip.ZipFile zip, ZipEntry e, String fileName) throws NotAWar {
        CRC32 crc = new CRC32();
        long read = 0;
        try (InputStream in = new CheckedInputStream(zip.getInputStream(e), crc)) {
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                read += n;
            }
        } catch (IOException ex) {
            throw new NotAWar(fileName + ": entry '" + e.getName() + "' cannot be read (" + ex.getMessage() + ")");
        }
        if ((e.getCrc() != -1 && crc.getValue() != e.getCrc()) || (e.getSize() != -1 && read != e.getSize())) {
            throw new NotAWar(fileName + ": entry '" + e.getName() + "' is damaged (its checksum does not match)");
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
