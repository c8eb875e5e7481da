package org.bmsmqtt.ra.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made at test time with BouncyCastle (test scope only): a CA, server certificates with IP or DNS names
 * (valid or expired), client certificates, and writers for the file formats brokers and the adapter read.
 * Nothing is registered JVM-wide.
 */
public final class TestCertificates {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate, its key pair and the certificate of its issuer (itself for a CA). */
    public record Issued(X509Certificate certificate, KeyPair keys, X509Certificate issuer) {
        public PrivateKey key() {
            return keys.getPrivate();
        }
    }

    private TestCertificates() {
    }

    /** A self-signed EC CA valid from yesterday for 30 days. */
    public static Issued ca(String commonName) {
        KeyPair keys = keyPair("EC");
        X509Certificate cert = build(new X500Name("CN=" + commonName), keys, keys, null,
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), null, List.of());
        return new Issued(cert, keys, cert);
    }

    /** A server certificate (EC key) valid now, naming {@code names}: IP addresses become IP SANs, others DNS. */
    public static Issued server(Issued ca, String... names) {
        return server(ca, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), names);
    }

    /** A server certificate with the given validity (e.g. already expired). */
    public static Issued server(Issued ca, Instant notBefore, Instant notAfter, String... names) {
        KeyPair keys = keyPair("EC");
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            sans.add(new GeneralName(n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        X509Certificate cert = build(new X500Name("CN=" + names[0]), keys, ca.keys(), ca.certificate(), notBefore,
                notAfter, KeyPurposeId.id_kp_serverAuth, sans);
        return new Issued(cert, keys, ca.certificate());
    }

    /** A client certificate with an {@code RSA} or {@code EC} key. */
    public static Issued client(Issued ca, String commonName, String keyAlgorithm) {
        KeyPair keys = keyPair(keyAlgorithm);
        X509Certificate cert = build(new X500Name("CN=" + commonName), keys, ca.keys(), ca.certificate(),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)),
                KeyPurposeId.id_kp_clientAuth, List.of());
        return new Issued(cert, keys, ca.certificate());
    }

    public static KeyPair keyPair(String algorithm) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM certificates, in order. */
    public static Path writePem(Path file, X509Certificate... certs) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append(pem(new JcaMiscPEMGenerator(c)));
        }
        return write(file, sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    public static Path writeDer(Path file, X509Certificate cert) throws IOException {
        try {
            return write(file, cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** An unencrypted PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), as mosquitto's keyfile wants it. */
    public static Path writeKey(Path file, PrivateKey key) throws IOException {
        return write(file, pem(new JcaPKCS8Generator(key, null)).getBytes(StandardCharsets.US_ASCII));
    }

    /** An encrypted PKCS#8 PEM key ({@code BEGIN ENCRYPTED PRIVATE KEY}): PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC. */
    public static Path writeEncryptedKey(Path file, PrivateKey key, String password) throws IOException {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256).setProvider(BC).setRandom(new SecureRandom())
                    .setPassword(password.toCharArray()).build();
            return write(file, pem(new JcaPKCS8Generator(key, encryptor)).getBytes(StandardCharsets.US_ASCII));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException(e);
        }
    }

    /** A PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}) PEM key. */
    public static Path writeTraditionalKey(Path file, PrivateKey key) throws IOException {
        return write(file, pem(new JcaMiscPEMGenerator(key)).getBytes(StandardCharsets.US_ASCII));
    }

    /** A PKCS#12 file with the key and its chain (certificate, issuer). */
    public static Path writePkcs12(Path file, Issued issued, String password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", issued.key(), password.toCharArray(),
                    new Certificate[] {issued.certificate(), issued.issuer()});
            return store(store, file, password);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** A PKCS#12 trust store with {@code cert} as a trusted certificate entry. */
    public static Path writeTrustPkcs12(Path file, X509Certificate cert, String password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", cert);
            return store(store, file, password);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** A socket factory trusting only {@code ca}, for plain Paho clients in tests. */
    public static SSLSocketFactory trusting(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path store(KeyStore store, Path file, String password) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    /** {@code purpose}: null for a CA; {@code issuer}: null for self-signed. */
    private static X509Certificate build(X500Name subject, KeyPair keys, KeyPair issuerKeys, X509Certificate issuer,
                                         Instant notBefore, Instant notAfter, KeyPurposeId purpose,
                                         List<GeneralName> sans) {
        try {
            X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    keys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, issuer == null
                    ? utils.createAuthorityKeyIdentifier(keys.getPublic()) : utils.createAuthorityKeyIdentifier(issuer));
            if (purpose == null) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(purpose));
                if (!sans.isEmpty()) {
                    b.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(sans.toArray(GeneralName[]::new)));
                }
            }
            String signature = issuerKeys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(signature).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate for " + subject + ": " + e, e);
        }
    }

    private static String pem(PemObjectGenerator generator) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(generator);
        }
        return sw.toString();
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes);
    }
}
