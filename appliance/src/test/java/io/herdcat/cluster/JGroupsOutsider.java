package io.herdcat.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Version;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.ByteArrayDataInputStream;
import org.jgroups.util.Util;

/**
 * A process outside the cluster, without its secret, that speaks JGroups' TCP wire format: it reads
 * the frames nodes exchanged out of a packet capture, and sends frames (captured, altered or made up)
 * to a node's JGroups port the way a peer would.
 */
final class JGroupsOutsider {
    private static final byte[] COOKIE = {'b', 'e', 'l', 'a'};
    private static final byte LIST = 1;

    private JGroupsOutsider() {
    }

    /** Every JGroups frame (without its length prefix) of the TCP connections in a pcap file, in capture order. */
    static List<byte[]> frames(byte[] pcap) {
        Map<String, TreeMap<Long, byte[]>> flows = new LinkedHashMap<>();
        ByteBuffer in = ByteBuffer.wrap(pcap);
        int magic = in.getInt(0);
        in.order(magic == 0xa1b2c3d4 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int linkType = in.getInt(20);
        int linkHeader = switch (linkType) {
            case 1 -> 14;
            case 113 -> 16;
            case 276 -> 20;
            case 0 -> 4;
            default -> throw new IllegalArgumentException("link type " + linkType);
        };
        int pos = 24;
        while (pos + 16 <= pcap.length) {
            int captured = in.getInt(pos + 8);
            int packet = pos + 16;
            pos = packet + captured;
            int ip = packet + linkHeader;
            if ((pcap[ip] >> 4) != 4) {
                continue;
            }
            int ipHeader = (pcap[ip] & 0x0f) * 4;
            int ipTotal = ((pcap[ip + 2] & 0xff) << 8) | (pcap[ip + 3] & 0xff);
            int tcp = ip + ipHeader;
            int srcPort = ((pcap[tcp] & 0xff) << 8) | (pcap[tcp + 1] & 0xff);
            int dstPort = ((pcap[tcp + 2] & 0xff) << 8) | (pcap[tcp + 3] & 0xff);
            long seq = ByteBuffer.wrap(pcap, tcp + 4, 4).order(ByteOrder.BIG_ENDIAN).getInt() & 0xffffffffL;
            int tcpHeader = ((pcap[tcp + 12] >> 4) & 0x0f) * 4;
            int data = tcp + tcpHeader;
            int end = Math.min(ip + ipTotal, pos);
            if (end > data) {
                byte[] payload = java.util.Arrays.copyOfRange(pcap, data, end);
                flows.computeIfAbsent(srcPort + ">" + dstPort, k -> new TreeMap<>()).putIfAbsent(seq, payload);
            }
        }
        List<byte[]> frames = new ArrayList<>();
        for (TreeMap<Long, byte[]> segments : flows.values()) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            long next = -1;
            for (Map.Entry<Long, byte[]> s : segments.entrySet()) {
                if (next >= 0 && s.getKey() != next) {
                    break;
                }
                stream.writeBytes(s.getValue());
                next = s.getKey() + s.getValue().length;
            }
            splitFrames(stream.toByteArray(), frames);
        }
        return frames;
    }

    /**
     * The connecting side of a JGroups TCP connection starts with the cookie, the version and its
     * address; the accepting side sends frames from its first byte. Either way, frames are
     * {@code length | version | …}.
     */
    private static void splitFrames(byte[] stream, List<byte[]> frames) {
        if (stream.length < 8) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(stream);
        int pos = 0;
        if (java.util.Arrays.equals(COOKIE, java.util.Arrays.copyOf(stream, 4))) {
            int addressSize = b.getShort(6);
            pos = 8 + addressSize;
        }
        while (pos + 6 <= stream.length) {
            int length = b.getInt(pos);
            if (length <= 2 || pos + 4 + length > stream.length || b.getShort(pos + 4) != Version.version) {
                return;
            }
            frames.add(java.util.Arrays.copyOfRange(stream, pos + 4, pos + 4 + length));
            pos += 4 + length;
        }
    }

    /** The logical addresses that sent the frames (read from the frames' clear part). */
    static Set<Address> senders(List<byte[]> frames) {
        Set<Address> senders = new LinkedHashSet<>();
        for (byte[] f : frames) {
            try {
                ByteArrayDataInputStream in = new ByteArrayDataInputStream(f);
                in.readShort();
                byte flags = in.readByte();
                if ((flags & LIST) != 0) {
                    Util.readAddress(in);
                    Address src = Util.readAddress(in);
                    if (src != null && !(src instanceof IpAddress)) {
                        senders.add(src);
                    }
                } else {
                    org.jgroups.Message m = Util.readMessage(in);
                    if (m.getSrc() != null && !(m.getSrc() instanceof IpAddress)) {
                        senders.add(m.getSrc());
                    }
                }
            } catch (Exception e) {
                // a frame this parser cannot read adds no sender
            }
        }
        return senders;
    }

    /**
     * Alterations that need only the clear part of a frame: where a multicast shows its reliable-delivery
     * sequence number and the IV of a CBC encryption, continue the sender's sequence (so the copy is
     * delivered as new) and flip IV bytes so the first bytes of the plaintext read as another command.
     */
    static List<byte[]> continuedSequences(List<byte[]> frames, int count) {
        short nakAck = org.jgroups.conf.ClassConfigurator.getProtocolId(org.jgroups.protocols.pbcast.NAKACK2.class);
        short encrypt = org.jgroups.conf.ClassConfigurator.getProtocolId(org.jgroups.protocols.SYM_ENCRYPT.class);
        Map<Address, List<org.jgroups.Message>> bySender = new LinkedHashMap<>();
        Map<Address, Long> highest = new LinkedHashMap<>();
        for (org.jgroups.Message m : messages(frames)) {
            org.jgroups.Header n = m.getHeader(nakAck);
            org.jgroups.Header e = m.getHeader(encrypt);
            if (m.getDest() == null && m.getSrc() != null
                    && n instanceof org.jgroups.protocols.pbcast.NakAckHeader2 h
                    && h.getType() == org.jgroups.protocols.pbcast.NakAckHeader2.MSG
                    && e instanceof org.jgroups.protocols.EncryptHeader) {
                bySender.computeIfAbsent(m.getSrc(), k -> new ArrayList<>()).add(m);
                highest.merge(m.getSrc(), h.getSeqno(), Math::max);
            }
        }
        List<byte[]> out = new ArrayList<>();
        byte[] xor = {3, 0, 1, 0, 0};
        for (Map.Entry<Address, List<org.jgroups.Message>> e : bySender.entrySet()) {
            List<org.jgroups.Message> templates = e.getValue();
            long next = highest.get(e.getKey()) + 1;
            for (int k = 0; k < count; k++) {
                org.jgroups.Message m = templates.get(k % templates.size()).copy(true, true);
                org.jgroups.protocols.EncryptHeader h = m.getHeader(encrypt);
                byte[] iv = h.iv().clone();
                for (int i = 0; i < xor.length && i < iv.length; i++) {
                    iv[i] ^= xor[i];
                }
                m.putHeader(encrypt, new org.jgroups.protocols.EncryptHeader(h.type(), h.version(), iv));
                m.putHeader(nakAck, org.jgroups.protocols.pbcast.NakAckHeader2.createMessageHeader(next + k));
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream d = new DataOutputStream(bytes)) {
                    Util.writeMessage(m, d, true);
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
                out.add(bytes.toByteArray());
            }
        }
        return out;
    }

    private static List<org.jgroups.Message> messages(List<byte[]> frames) {
        List<org.jgroups.Message> all = new ArrayList<>();
        for (byte[] f : frames) {
            try {
                ByteArrayDataInputStream in = new ByteArrayDataInputStream(f);
                in.readShort();
                byte flags = in.readByte();
                boolean multicast = (flags & 2) != 0;
                if ((flags & LIST) != 0) {
                    for (org.jgroups.util.MessageBatch b : Util.readMessageBatch(in, multicast)) {
                        if (b != null) {
                            for (org.jgroups.Message m : b) {
                                all.add(m);
                            }
                        }
                    }
                } else {
                    all.add(Util.readMessage(in));
                }
            } catch (Exception e) {
                // a frame this parser cannot read yields no message
            }
        }
        return all;
    }

    /** The frame with {@code count} bytes flipped, counted back from {@code fromEnd} bytes before its end. */
    static byte[] flipped(byte[] frame, int fromEnd, int count) {
        byte[] copy = frame.clone();
        for (int i = 0; i < count; i++) {
            int at = copy.length - fromEnd + i;
            if (at > 3 && at < copy.length) {
                copy[at] ^= (byte) 0x5a;
            }
        }
        return copy;
    }

    /** The cluster name, as the clear headers of the captured frames show it. */
    static byte[] clusterName(List<byte[]> frames) {
        for (org.jgroups.Message m : messages(frames)) {
            for (org.jgroups.Header h : m.getHeaders().values()) {
                if (h instanceof org.jgroups.protocols.TpHeader tp && tp.getClusterName() != null) {
                    return tp.getClusterName();
                }
            }
        }
        for (byte[] f : frames) {
            try {
                ByteArrayDataInputStream in = new ByteArrayDataInputStream(f);
                in.readShort();
                if ((in.readByte() & LIST) != 0) {
                    Util.readAddress(in);
                    Util.readAddress(in);
                    short length = in.readShort();
                    if (length > 0) {
                        byte[] name = new byte[length];
                        in.readFully(name);
                        return name;
                    }
                }
            } catch (Exception e) {
                // try the next frame
            }
        }
        throw new IllegalStateException("no message list with a cluster name among " + frames.size() + " frames");
    }

    /** A frame (a list of one message) from {@code src} to {@code dest} carrying {@code payload}, not sealed. */
    static byte[] foreignFrame(byte[] cluster, Address src, Address dest, byte[] payload) throws IOException {
        BytesMessage msg = new BytesMessage(dest, payload);
        msg.setSrc(src);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Util.writeMessageList(dest, src, cluster, List.of(msg), out, dest == null);
        }
        return bytes.toByteArray();
    }

    /**
     * Connects to a node's JGroups port as a peer on loopback would, and sends the frames. Each call
     * claims another peer address: a node keeps one connection per peer and refuses a second one.
     */
    static void send(int port, List<byte[]> frames) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream raw = s.getOutputStream();
            DataOutputStream out = new DataOutputStream(raw);
            IpAddress me = new IpAddress(InetAddress.getLoopbackAddress(),
                    java.util.concurrent.ThreadLocalRandom.current().nextInt(1024, 65536));
            out.write(COOKIE);
            out.writeShort(Version.version);
            out.writeShort(me.serializedSize());
            me.writeTo(out);
            for (byte[] f : frames) {
                out.writeInt(f.length);
                out.write(f);
            }
            out.flush();
            // closing sends FIN after the data: the node reads every frame before it sees the end
        } catch (IOException e) {
            // the node may close the connection of a peer it does not trust: what was sent is sent
            if (!String.valueOf(e.getMessage()).toLowerCase().contains("reset")
                    && !String.valueOf(e.getMessage()).toLowerCase().contains("broken pipe")) {
                throw e;
            }
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
