package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.jgroups.Address;
import org.jgroups.util.ByteArrayDataInputStream;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/** The AUTH join token: valid once, only for the node that made it, only with the secret, only while fresh. */
class HmacAuthTokenTest {
    private final byte[] key = new byte[32];
    private final Address joiner = UUID.randomUUID();
    private final RejectedMessages rejected = new RejectedMessages("coord");
    private final HmacAuthToken coordinator = new HmacAuthToken(key, rejected);

    /** The token as the coordinator reads it off the wire. */
    private static HmacAuthToken onTheWire(HmacAuthToken sent) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sent.writeTo(new DataOutputStream(bytes));
        HmacAuthToken read = new HmacAuthToken();
        read.readFrom(new ByteArrayDataInputStream(bytes.toByteArray()));
        return read;
    }

    @Test
    void aTokenIsAcceptedOnceFromItsMakerAndRefusedWhenReplayed() throws IOException {
        HmacAuthToken token = onTheWire(new HmacAuthToken(key, null).madeBy(joiner));
        long now = System.currentTimeMillis();
        assertNull(coordinator.check(token, joiner, now));
        assertTrue(coordinator.check(token, joiner, now + 1000).contains("already used"));
        assertNull(coordinator.check(onTheWire(new HmacAuthToken(key, null).madeBy(joiner)), joiner, now),
                "a new token (new nonce) of the same node is fine");
    }

    @Test
    void aTokenIsRefusedFromAnotherSenderWithAnotherSecretOrWhenStale() throws IOException {
        HmacAuthToken token = onTheWire(new HmacAuthToken(key, null).madeBy(joiner));
        long now = System.currentTimeMillis();
        assertTrue(coordinator.check(token, UUID.randomUUID(), now).contains("not made by"));
        byte[] otherKey = Arrays.copyOf(key, 32);
        otherKey[0] = 1;
        assertTrue(coordinator.check(onTheWire(new HmacAuthToken(otherKey, null).madeBy(joiner)), joiner, now)
                .contains("not made by"));
        assertTrue(coordinator.check(token, joiner, now + MessageSeal.MAX_AGE_MILLIS + 60_000).contains("ms ago"));
        assertTrue(coordinator.check(new HmacAuthToken(), joiner, now).contains("no valid"));
    }

    @Test
    void refusalsThroughAuthAreCounted() throws IOException {
        HmacAuthToken token = onTheWire(new HmacAuthToken(key, null).madeBy(joiner));
        org.jgroups.Message join = new org.jgroups.BytesMessage().setSrc(joiner);
        assertTrue(coordinator.authenticate(token, join));
        assertTrue(!coordinator.authenticate(token, join));
        assertEquals(1, rejected.count(RejectedMessages.Reason.AUTH_REFUSED));
    }
}
