package org.bmsmqtt.bms.integrated;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What an operator sets for the integrated broker. {@code tlsPort} 0: no TLS listener; otherwise the keystore is a
 * PKCS#12 file in the certificate folder. A {@code null} keystore password on update keeps the stored one.
 */
public record IntegratedBrokerSettings(boolean startAtBoot, boolean authentication, String bindAddress, int port,
                                       int tlsPort, String tlsKeystoreFile, String tlsKeystorePassword) {

    public IntegratedBrokerSettings {
        bindAddress = bindAddress == null ? "" : bindAddress.trim();
        if (bindAddress.isEmpty() || bindAddress.length() > 255) {
            throw new InvalidValueException("bindAddress", "an IP address or host name of this machine, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (!bindAddress.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
            throw new InvalidValueException("bindAddress", "not an address: " + bindAddress);
        }
        if (port < 1 || port > 65535) {
            throw new InvalidValueException("port", "must be 1..65535, was " + port);
        }
        if (tlsPort < 0 || tlsPort > 65535) {
            throw new InvalidValueException("tlsPort", "must be 0 (no TLS listener) or 1..65535, was " + tlsPort);
        }
        if (tlsPort == port) {
            throw new InvalidValueException("tlsPort", "must differ from port " + port);
        }
        tlsKeystoreFile = tlsKeystoreFile == null ? "" : tlsKeystoreFile.trim();
        if (tlsKeystoreFile.contains("/") || tlsKeystoreFile.contains("\\") || tlsKeystoreFile.startsWith(".")
                || tlsKeystoreFile.length() > 255) {
            throw new InvalidValueException("tlsKeystoreFile", "a file name in the certificate folder, without a path");
        }
        if (tlsPort > 0 && tlsKeystoreFile.isEmpty()) {
            throw new InvalidValueException("tlsKeystoreFile", "the TLS listener needs a PKCS#12 keystore (upload it to /certificates)");
        }
    }

    /** The address our own internal connection dials: loopback when the broker listens on every interface. */
    public String dialAddress() {
        try {
            InetAddress a = InetAddress.getByName(bindAddress);
            return a.isAnyLocalAddress() ? "127.0.0.1" : bindAddress;
        } catch (UnknownHostException e) {
            return bindAddress;
        }
    }
}
