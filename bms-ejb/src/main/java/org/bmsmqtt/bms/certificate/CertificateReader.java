package org.bmsmqtt.bms.certificate;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the files a broker's TLS settings may name and reads what the API shows of them: PEM (certificates
 * and/or a private key), DER (one certificate), PKCS#12. Pure: no file, no container. A failure names {@code file}
 * (or {@code password}, for a PKCS#12 file whose password does not fit).
 */
public final class CertificateReader {

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s:,\\-]*?)-----END \\1-----");
    private static final List<String> KEY_BLOCKS = List.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY");

    private CertificateReader() {
    }

    /**
     * @param password only for PKCS#12, to read its certificates; may be null. Never kept.
     */
    public static CertificateInfo read(String name, byte[] content, char[] password) {
        if (content == null || content.length == 0) {
            throw new InvalidValueException("file", "the file is empty");
        }
        if (startsWithPem(content)) {
            return pem(name, content);
        }
        try {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(content));
            return info(name, "DER", List.of((X509Certificate) c), content.length);
        } catch (CertificateException | ClassCastException e) {
            return pkcs12(name, content, password);
        }
    }

    private static boolean startsWithPem(byte[] content) {
        String head = new String(content, 0, Math.min(content.length, 4096), StandardCharsets.US_ASCII);
        return head.contains("-----BEGIN ");
    }

    private static CertificateInfo pem(String name, byte[] content) {
        String text = new String(content, StandardCharsets.US_ASCII);
        Matcher m = PEM_BLOCK.matcher(text);
        List<X509Certificate> certs = new ArrayList<>();
        boolean key = false;
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                // encrypted traditional keys carry "Proc-Type:" headers before a blank line
                String body = m.group(2).contains(":") ? m.group(2).substring(m.group(2).indexOf("\n\n") + 2) : m.group(2);
                der = Base64.getMimeDecoder().decode(body.trim());
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                throw new InvalidValueException("file", "the PEM block " + type + " is not valid base64");
            }
            if (type.equals("CERTIFICATE") || type.equals("TRUSTED CERTIFICATE")) {
                try {
                    certs.add((X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)));
                } catch (CertificateException e) {
                    throw new InvalidValueException("file", "a PEM certificate cannot be read: " + e.getMessage());
                }
            } else if (KEY_BLOCKS.contains(type)) {
                key = true;
            } else {
                throw new InvalidValueException("file", "unexpected PEM block " + type
                        + ": certificates and private keys only");
            }
        }
        if (certs.isEmpty() && !key) {
            throw new InvalidValueException("file", "no PEM certificate or private key in the file");
        }
        return info(name, certs.isEmpty() ? "PEM_KEY" : "PEM", certs, content.length);
    }

    private static CertificateInfo pkcs12(String name, byte[] content, char[] password) {
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), password == null || password.length == 0 ? null : password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new InvalidValueException("password", "the PKCS#12 file cannot be opened with this password");
            }
            throw new InvalidValueException("file", "neither PEM, nor a DER certificate, nor PKCS#12");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidValueException("file", "neither PEM, nor a DER certificate, nor PKCS#12");
        }
        List<X509Certificate> certs = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                Certificate[] chain = store.isKeyEntry(alias) ? store.getCertificateChain(alias)
                        : new Certificate[] {store.getCertificate(alias)};
                for (Certificate c : chain == null ? new Certificate[0] : chain) {
                    if (c instanceof X509Certificate x && !certs.contains(x)) {
                        certs.add(x);
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new InvalidValueException("file", "the PKCS#12 entries cannot be read: " + e.getMessage());
        }
        return info(name, "PKCS12", certs, content.length);
    }

    private static CertificateInfo info(String name, String type, List<X509Certificate> certs, long size) {
        if (certs.isEmpty()) {
            return new CertificateInfo(name, type, null, null, null, null, 0, size);
        }
        X509Certificate first = certs.get(0);
        return new CertificateInfo(name, type, first.getSubjectX500Principal().getName(),
                first.getIssuerX500Principal().getName(), first.getNotBefore().toInstant(),
                first.getNotAfter().toInstant(), certs.size(), size);
    }
}
