package io.herdcat.dispatcher;

import io.herdcat.dispatcher.ajp.AjpRequestHead;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS on the front: the server context from PEM files, and what a TLS client connection tells the node
 * (cipher, key size, session id, client certificate) — the SSL attributes mod_jk forwards.
 */
final class FrontTls {
    private FrontTls() {
    }

    /** @param key a PKCS#8 PEM private key ("BEGIN PRIVATE KEY"); @param certificates the PEM chain, server first */
    static SslContext serverContext(Path certificates, Path key) throws SSLException {
        return serverContext(certificates, key, false);
    }

    /**
     * @param h2 offer HTTP/2 by ALPN besides HTTP/1.1 (a client that offers neither gets HTTP/1.1), with the
     *           cipher suites HTTP/2 allows (RFC 9113 9.2.2)
     */
    static SslContext serverContext(Path certificates, Path key, boolean h2) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(certificates.toFile(), key.toFile())
                .sslProvider(SslProvider.JDK);
        if (h2) {
            builder.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
        }
        return builder.build();
    }

    /**
     * The client's TLS details, or null when it connected in plain HTTP. They are worked out once per TLS
     * session and kept on the connection: every request (every HTTP/2 stream) of a connection asks, and
     * asking a session without a client certificate for one costs an exception.
     */
    static AjpRequestHead.Ssl of(Channel client) {
        SslHandler handler = client.pipeline().get(SslHandler.class);
        if (handler == null) {
            return null;
        }
        SSLSession session = handler.engine().getSession();
        Known known = client.attr(KNOWN).get();
        if (known == null || known.session() != session) {
            known = new Known(session, details(session));
            client.attr(KNOWN).set(known);
        }
        return known.details();
    }

    /** The details of the connection's TLS session, as last worked out. */
    private record Known(SSLSession session, AjpRequestHead.Ssl details) {
    }

    private static final AttributeKey<Known> KNOWN = AttributeKey.valueOf(FrontTls.class, "session");

    private static AjpRequestHead.Ssl details(SSLSession session) {
        String cipher = session.getCipherSuite();
        byte[] id = session.getId();
        return new AjpRequestHead.Ssl(cipher, keySize(cipher),
                id == null || id.length == 0 ? null : HexFormat.of().formatHex(id), clientCertificate(session));
    }

    /** The symmetric key size a cipher suite uses, as the servlet attribute {@code key_size} reports it. */
    static Integer keySize(String cipher) {
        String c = cipher.toUpperCase(Locale.ROOT);
        if (c.contains("AES_256") || c.contains("CHACHA20")) {
            return 256;
        }
        if (c.contains("AES_128")) {
            return 128;
        }
        return null;
    }

    private static String clientCertificate(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0) {
                return null;
            }
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(chain[0].getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (SSLPeerUnverifiedException | CertificateEncodingException e) {
            return null;
        }
    }
}
