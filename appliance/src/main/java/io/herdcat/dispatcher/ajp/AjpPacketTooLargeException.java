package io.herdcat.dispatcher.ajp;

/** A request head that does not fit one AJP packet: the front answers 431 or 414 instead of forwarding it. */
public final class AjpPacketTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AjpPacketTooLargeException(int size, int packetSize) {
        super("request head of " + size + " bytes does not fit an AJP packet of " + packetSize + " bytes", null,
                false, false);
    }
}
