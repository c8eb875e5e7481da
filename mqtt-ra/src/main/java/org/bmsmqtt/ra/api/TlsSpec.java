package org.bmsmqtt.ra.api;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * TLS settings of one broker session; nothing JVM-wide is touched.
 *
 * @param versions             protocol versions offered, e.g. {@code TLSv1.3}, {@code TLSv1.2}
 * @param caFile               trusted CA certificate(s): PEM, DER or PKCS#12; empty for the JVM's default trust store
 * @param caPassword           password of a PKCS#12 CA file; empty for none
 * @param clientCertFile       client certificate: PKCS#12 (with its key) or PEM; empty for none
 * @param clientKeyFile        PEM private key (PKCS#8, PKCS#1 or encrypted PKCS#8) when the certificate is PEM
 * @param keyPassword          password of the PKCS#12 file or of an encrypted key; never printed
 * @param hostnameVerification whether the broker's certificate must name the host connected to (on unless turned off)
 */
public record TlsSpec(List<String> versions, String caFile, String caPassword, String clientCertFile,
                      String clientKeyFile, String keyPassword, boolean hostnameVerification) implements Serializable {

    public static final List<String> DEFAULT_VERSIONS = List.of("TLSv1.3", "TLSv1.2");
    /** Default TLS: the JVM's trust store, TLS 1.3 and 1.2, hostname verification on. */
    public static final TlsSpec DEFAULT = new TlsSpec(DEFAULT_VERSIONS, "", "", "", "", "", true);

    public TlsSpec {
        versions = versions == null || versions.isEmpty() ? DEFAULT_VERSIONS : List.copyOf(versions);
        for (String v : versions) {
            if (!v.equals("TLSv1.2") && !v.equals("TLSv1.3")) {
                throw new IllegalArgumentException("tls.versions: only TLSv1.2 and TLSv1.3 are allowed, got " + v);
            }
        }
        caFile = caFile == null ? "" : caFile;
        caPassword = caPassword == null ? "" : caPassword;
        clientCertFile = clientCertFile == null ? "" : clientCertFile;
        clientKeyFile = clientKeyFile == null ? "" : clientKeyFile;
        keyPassword = keyPassword == null ? "" : keyPassword;
    }

    public static TlsSpec trusting(String caFile) {
        return new TlsSpec(DEFAULT_VERSIONS, caFile, "", "", "", "", true);
    }

    public TlsSpec withClientCertificate(String certFile, String keyFile, String password) {
        return new TlsSpec(versions, caFile, caPassword, certFile, keyFile, password, hostnameVerification);
    }

    public TlsSpec withHostnameVerification(boolean on) {
        return new TlsSpec(versions, caFile, caPassword, clientCertFile, clientKeyFile, keyPassword, on);
    }

    public TlsSpec withVersions(List<String> newVersions) {
        return new TlsSpec(newVersions, caFile, caPassword, clientCertFile, clientKeyFile, keyPassword,
                hostnameVerification);
    }

    @Override
    public String toString() {
        return "TlsSpec[versions=" + versions + ", caFile=" + caFile + ", clientCertFile=" + clientCertFile
                + ", clientKeyFile=" + clientKeyFile + ", keyPassword=" + (keyPassword.isEmpty() ? "" : "***")
                + ", hostnameVerification=" + hostnameVerification + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsSpec t && versions.equals(t.versions) && caFile.equals(t.caFile)
                && caPassword.equals(t.caPassword) && clientCertFile.equals(t.clientCertFile)
                && clientKeyFile.equals(t.clientKeyFile) && keyPassword.equals(t.keyPassword)
                && hostnameVerification == t.hostnameVerification;
    }

    @Override
    public int hashCode() {
        return Objects.hash(versions, caFile, clientCertFile, clientKeyFile, hostnameVerification);
    }
}
