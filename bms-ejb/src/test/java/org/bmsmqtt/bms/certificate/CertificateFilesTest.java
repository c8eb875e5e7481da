package org.bmsmqtt.bms.certificate;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Names and contents the certificate folder takes or refuses (certificates themselves: itests AdminApiMicroIT). */
class CertificateFilesTest {

    @Test
    void plainNamesAreTakenAndPathsAreRefusedNamingTheField() {
        assertEquals("ca.pem", CertificateName.require("ca.pem", "name"));
        assertEquals("site-b_client.p12", CertificateName.require("site-b_client.p12", "caFile"));
        for (String bad : List.of("../ca.pem", "a/b.pem", "a\\b.pem", ".hidden", "a..b", "", " ", "ca pem",
                "x".repeat(CertificateName.MAX_LENGTH + 1))) {
            InvalidValueException e = assertThrows(InvalidValueException.class, () -> CertificateName.require(bad, "caFile"),
                    bad);
            assertEquals("caFile", e.field());
        }
        assertEquals("name", assertThrows(InvalidValueException.class, () -> CertificateName.require(null, "name"))
                .field());
    }

    @Test
    void contentThatIsNoCertificateNamesTheFile() {
        for (byte[] bad : List.of(new byte[0], "hello".getBytes(StandardCharsets.US_ASCII), new byte[] {0x30, 0x03, 1, 2, 3},
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII),
                "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n".getBytes(StandardCharsets.US_ASCII))) {
            assertEquals("file", assertThrows(InvalidValueException.class,
                    () -> CertificateReader.read("x.pem", bad, null)).field());
        }
    }

    @Test
    void aPemPrivateKeyAloneIsAKeyFile() {
        String pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIB5f1m7Ws3Q8u0S0e3b2JXrE3m0s6c0Yc8b1c2d3e4f5\n"
                + "-----END PRIVATE KEY-----\n";
        CertificateInfo info = CertificateReader.read("k.key", pem.getBytes(StandardCharsets.US_ASCII), null);
        assertEquals("PEM_KEY", info.type());
        assertNull(info.subject());
        assertEquals(0, info.certificates());
    }
}
