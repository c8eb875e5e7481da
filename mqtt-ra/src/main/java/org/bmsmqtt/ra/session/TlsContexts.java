package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.TlsSpec;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the TLS socket factory of one session from its {@link TlsSpec} with the JDK alone; nothing JVM-wide is
 * changed. Files are read at every connect attempt, so a corrected file is picked up without a restart. Errors name
 * the setting, the file and what is wrong; passwords never appear in them.
 */
final class TlsContexts {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final char[] STORE_PASSWORD = "in-memory".toCharArray();

    private TlsContexts() {
    }

    static SSLSocketFactory socketFactory(TlsSpec tls) throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(tls), tls.caFile().isEmpty() ? null : trustManagers(tls), null);
        return new NoDelayTlsSocketFactory(context.getSocketFactory(), tls.versions().toArray(String[]::new));
    }

    /** PEM (one or more certificates), DER, or PKCS#12 (by extension or content). */
    private static TrustManager[] trustManagers(TlsSpec tls) throws GeneralSecurityException, IOException {
        String what = "tls.caFile " + tls.caFile();
        byte[] bytes = read(what, tls.caFile());
        KeyStore store;
        if (!isPem(bytes) && looksLikePkcs12(tls.caFile(), bytes)) {
            store = pkcs12(what, bytes, tls.caPassword(), "tls.caPassword");
        } else {
            store = emptyStore();
            for (X509Certificate cert : certificates(what, bytes)) {
                store.setCertificateEntry("ca-" + store.size(), cert);
            }
        }
        if (store.size() == 0) {
            throw new CertificateException(what + ": no certificate found" + (isPem(bytes) ? "" : " (Java ignores "
                    + "PKCS#12 certificates not marked trusted, as openssl makes them: use PEM or keytool -importcert)"));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    /** PKCS#12 with its key, or PEM certificate(s) with a PEM key from the key file (or the certificate's file). */
    private static KeyManager[] keyManagers(TlsSpec tls) throws GeneralSecurityException, IOException {
        if (tls.clientCertFile().isEmpty()) {
            if (!tls.clientKeyFile().isEmpty()) {
                throw new GeneralSecurityException("tls.clientKeyFile " + tls.clientKeyFile()
                        + ": set, but tls.clientCertFile is empty");
            }
            return null;
        }
        String what = "tls.clientCertFile " + tls.clientCertFile();
        byte[] bytes = read(what, tls.clientCertFile());
        KeyStore store;
        char[] password = tls.keyPassword().toCharArray();
        if (isPem(bytes)) {
            List<X509Certificate> chain = certificates(what, bytes);
            if (chain.isEmpty()) {
                throw new CertificateException(what + ": no certificate found");
            }
            boolean keyFile = !tls.clientKeyFile().isEmpty();
            String keyWhat = keyFile ? "tls.clientKeyFile " + tls.clientKeyFile() : what;
            PrivateKey key = privateKey(keyWhat, keyFile ? read(keyWhat, tls.clientKeyFile()) : bytes, tls.keyPassword());
            checkPair(keyWhat, key, chain.get(0), what);
            store = emptyStore();
            password = STORE_PASSWORD;
            store.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
        } else if (looksLikePkcs12(tls.clientCertFile(), bytes)) {
            store = pkcs12(what, bytes, tls.keyPassword(), "tls.keyPassword");
            boolean hasKey = false;
            for (String alias : Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new GeneralSecurityException(what + ": PKCS#12 file without a private key");
            }
        } else {
            throw new GeneralSecurityException(what + ": neither PEM nor PKCS#12");
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        try {
            kmf.init(store, password);
        } catch (UnrecoverableKeyException e) {
            throw new UnrecoverableKeyException(what + ": the key's password differs from the file's (tls.keyPassword)");
        }
        return kmf.getKeyManagers();
    }

    /** The first PKCS#8 key, plain or encrypted (RSA, EC or EdDSA). */
    private static PrivateKey privateKey(String what, byte[] bytes, String password) throws GeneralSecurityException {
        for (String[] block : pem(bytes)) {
            if (block[0].equals("RSA PRIVATE KEY") || block[0].equals("EC PRIVATE KEY")) {
                throw new GeneralSecurityException(what + ": " + block[0] + " (PKCS#1/SEC1) is not supported; convert "
                        + "it to PKCS#8 with 'openssl pkcs8 -topk8' (-nocrypt for no password)");
            }
            if (!block[0].equals("PRIVATE KEY") && !block[0].equals("ENCRYPTED PRIVATE KEY")) {
                continue;
            }
            byte[] der = der(what, block);
            if (block[0].startsWith("ENCRYPTED")) {
                if (password.isEmpty()) {
                    throw new UnrecoverableKeyException(what + ": the key is encrypted and tls.keyPassword is empty");
                }
                der = decrypt(what, der, password);
            }
            for (String algorithm : List.of("RSA", "EC", "EdDSA")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (InvalidKeySpecException e) {
                    // try the next algorithm
                }
            }
            throw new InvalidKeySpecException(what + ": not an RSA, EC or EdDSA private key");
        }
        throw new GeneralSecurityException(what + ": no private key found (expected BEGIN PRIVATE KEY or BEGIN "
                + "ENCRYPTED PRIVATE KEY; set tls.clientKeyFile when the certificate's file has no key)");
    }

    private static byte[] decrypt(String what, byte[] der, String password) throws GeneralSecurityException {
        String algorithm = "?";
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters params = info.getAlgParameters();
            // PBES2 names its actual algorithm (e.g. PBEWithHmacSHA256AndAES_256) in its parameters
            algorithm = "PBES2".equals(info.getAlgName()) && params != null ? params.toString() : info.getAlgName();
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm)
                    .generateSecret(new PBEKeySpec(password.toCharArray())), params);
            return info.getKeySpec(cipher).getEncoded();
        } catch (InvalidKeySpecException e) {
            throw new UnrecoverableKeyException(what + ": wrong password (tls.keyPassword) or damaged key");
        } catch (IOException e) {
            throw new InvalidKeySpecException(what + ": damaged encrypted PKCS#8 key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(what + ": unsupported key encryption " + algorithm
                    + "; re-encrypt it with 'openssl pkcs8 -topk8 -v2 aes-256-cbc'", e);
        }
    }

    /** Signs with the key and verifies with the certificate: a mismatch would otherwise show as a vague alert. */
    private static void checkPair(String keyWhat, PrivateKey key, X509Certificate cert, String certWhat)
            throws GeneralSecurityException {
        String type = key.getAlgorithm();
        String algorithm = type.equals("RSA") ? "SHA256withRSA" : type.equals("EC") ? "SHA256withECDSA" : type;
        byte[] probe = "key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(probe);
            byte[] signed = signature.sign();
            signature.initVerify(cert.getPublicKey());
            signature.update(probe);
            if (signature.verify(signed)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type or curve: no match
        }
        throw new GeneralSecurityException(keyWhat + ": the key does not belong to the first certificate of "
                + certWhat + " (" + cert.getSubjectX500Principal().getName() + ")");
    }

    /** The certificates of a PEM or DER file. */
    private static List<X509Certificate> certificates(String what, byte[] bytes) throws GeneralSecurityException {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        if (!isPem(bytes) && bytes.length > 0) {
            try {
                factory.generateCertificates(new ByteArrayInputStream(bytes)).forEach(c -> certs.add((X509Certificate) c));
            } catch (CertificateException e) {
                throw new CertificateException(what + ": neither PEM, DER nor PKCS#12: " + e.getMessage(), e);
            }
        }
        for (String[] block : pem(bytes)) {
            if (block[0].equals("CERTIFICATE")) {
                try {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der(what, block))));
                } catch (CertificateException e) {
                    throw new CertificateException(what + ": certificate " + (certs.size() + 1)
                            + " is not a valid X.509 certificate: " + e.getMessage(), e);
                }
            }
        }
        return certs;
    }

    private static KeyStore pkcs12(String what, byte[] bytes, String password, String passwordSetting)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(new ByteArrayInputStream(bytes), password.toCharArray());
        } catch (IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UnrecoverableKeyException) {
                    throw new UnrecoverableKeyException(what + ": wrong password (" + passwordSetting + ")");
                }
            }
            throw new IOException(what + ": not a readable PKCS#12 file: " + e.getMessage(), e);
        }
        return store;
    }

    /** PEM blocks as {type, body}. */
    private static List<String[]> pem(byte[] bytes) {
        List<String[]> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            blocks.add(new String[] {m.group(1), m.group(2)});
        }
        return blocks;
    }

    private static byte[] der(String what, String[] block) throws GeneralSecurityException {
        try {
            return Base64.getMimeDecoder().decode(block[1].trim());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(what + ": bad base64 in " + block[0] + ": " + e.getMessage());
        }
    }

    private static boolean isPem(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    /** By extension, or by content: a PFX is a DER SEQUENCE that starts with its version (an INTEGER). */
    private static boolean looksLikePkcs12(String file, byte[] bytes) {
        String name = file.toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return true;
        }
        int header = bytes.length < 4 || bytes[0] != 0x30 ? -1 : (bytes[1] & 0x80) == 0 ? 2 : 2 + (bytes[1] & 0x7f);
        return header > 0 && header < bytes.length && bytes[header] == 0x02;
    }

    private static byte[] read(String what, String file) throws IOException {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException | InvalidPathException | SecurityException e) {
            throw new IOException(what + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
