package org.bmsmqtt.bms.certificate;

import java.time.Instant;

/**
 * What the API shows of a file in the certificate folder: never its content, never a password.
 *
 * @param name         the file name brokers refer to ({@code caFile}, {@code clientCertFile}, {@code clientKeyFile})
 * @param type         {@code PEM} (certificates, maybe with a key), {@code PEM_KEY} (a private key only), {@code DER}
 *                     (one certificate) or {@code PKCS12}
 * @param subject      subject of the first certificate (null when there is none, or a PKCS#12 file was stored without
 *                     its password and keeps its certificates encrypted)
 * @param issuer       its issuer
 * @param notBefore    start of its validity
 * @param notAfter     end of its validity
 * @param certificates how many certificates the file holds (that could be read)
 * @param size         bytes
 */
public record CertificateInfo(String name, String type, String subject, String issuer, Instant notBefore,
                              Instant notAfter, int certificates, long size) {

    CertificateInfo named(String newName, long newSize) {
        return new CertificateInfo(newName, type, subject, issuer, notBefore, notAfter, certificates, newSize);
    }
}
