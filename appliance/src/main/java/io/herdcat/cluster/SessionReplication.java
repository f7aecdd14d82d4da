package io.herdcat.cluster;

import io.herdcat.config.NodeConfig.ClusterSettings;
import io.herdcat.config.NodeConfig.SessionManagerKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.ha.session.ClusterSessionListener;
import org.apache.catalina.ha.session.JvmRouteBinderValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.EncryptInterceptor;
import org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor;
import org.apache.catalina.tribes.transport.ReceiverBase;
import org.apache.catalina.tribes.transport.ReplicationTransmitter;

/**
 * Tomcat's session replication, set up for "an acknowledged write survives the loss of its node":
 * every change is sent synchronously and acknowledged by each member before the response is
 * released, the changes of concurrent requests together in one message and one acknowledgement
 * ({@link ReplicatingCluster}, {@link GroupCommit}); membership comes from JGroups ({@link TribesMembershipBridge}); with a cluster secret the
 * session data is encrypted and authenticated (EncryptInterceptor, AES-GCM); only members' messages
 * are taken, each once ({@link ReplayGuardInterceptor}); replicated sessions deserialize through
 * {@link SessionClassFilter}; Tribes' own failure detector is left out because JGroups decides who
 * is alive.
 */
final class SessionReplication {
    /** Ports tried, one after the other, when any free port was asked for. */
    private static final int ANY_PORT_TRIES = 20;
    /** Sent, received and applied on every member before the request's response goes out. */
    static final int SYNC_ACK = Channel.SEND_OPTIONS_SYNCHRONIZED_ACK | Channel.SEND_OPTIONS_USE_ACK;
    private static final long SEND_TIMEOUT_MILLIS = 5_000;

    private SessionReplication() {
    }

    /**
     * @param viewGate what each session manager waits for before it starts (and asks a member for its
     *                 sessions): the join's view
     */
    static SimpleTcpCluster create(ClusterSettings cs, String nodeName, TribesMembershipBridge membership,
                                   ReplicationCounters counters, ViewGatedCluster.ViewGate viewGate) {
        GroupChannel channel = new GroupChannel();
        channel.setJmxEnabled(false);
        channel.setHeartbeat(false);
        channel.setMembershipService(membership);
        ReceiverBase receiver = (ReceiverBase) channel.getChannelReceiver();
        receiver.setAddress(cs.address().getHostAddress());
        receiver.setPort(cs.tribesPort() == 0 ? anyFreePort(cs) : cs.tribesPort());
        // "any free port" is picked before it is bound, and another socket may take it meanwhile: then the
        // next ports are tried (the member advertises the port bound); a configured port is that port or none
        receiver.setAutoBind(cs.tribesPort() == 0 ? ANY_PORT_TRIES : 1);
        ((ReplicationTransmitter) channel.getChannelSender()).getTransport().setTimeout(SEND_TIMEOUT_MILLIS);
        channel.addInterceptor(new MessageDispatchInterceptor());
        // above the encryption, so that its sequence numbers and member ids are authenticated
        channel.addInterceptor(new ReplayGuardInterceptor(nodeName, membership, counters));
        if (cs.secret() != null) {
            EncryptInterceptor encrypt = new EncryptInterceptor();
            encrypt.setEncryptionAlgorithm("AES/GCM/NoPadding");
            encrypt.setEncryptionKey(cs.secret().derive("herdcat/tribes-encryption"));
            channel.addInterceptor(encrypt);
        }
        channel.addInterceptor(new SendFailureInterceptor(counters));

        SimpleTcpCluster cluster = new ReplicatingCluster(channel, SYNC_ACK, nodeName, counters, viewGate);
        cluster.setClusterName(cs.name());
        cluster.setHeartbeatBackgroundEnabled(false);
        cluster.setManagerTemplate(managerTemplate(cs, nodeName, counters));
        // configuring any listener or valve replaces Tomcat's defaults: give all three explicitly
        cluster.addClusterListener(new ClusterSessionListener());
        cluster.addValve(new JvmRouteBinderValve());
        cluster.addValve(new AcknowledgedReplicationValve());
        return cluster;
    }

    private static ClusterManager managerTemplate(ClusterSettings cs, String nodeName, ReplicationCounters counters) {
        if (cs.sessionManager() == SessionManagerKind.BACKUP) {
            BackupManager backup = new BackupManager();
            backup.setMapSendOptions(SYNC_ACK);
            return backup;
        }
        ReplicatingDeltaManager delta = new ReplicatingDeltaManager(nodeName, counters);
        delta.setStateTransferTimeout((int) Math.max(1, cs.stateTransferTimeout().toSeconds()));
        delta.setExpireSessionsOnShutdown(false);
        delta.setNotifyListenersOnReplication(true);
        return delta;
    }

    /** Tribes advertises the port it was given, so "any free port" is picked here, before it binds. */
    private static int anyFreePort(ClusterSettings cs) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(cs.address(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + cs.address(), e);
        }
    }
}
