package org.bmsmqtt.ra.inbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import org.bmsmqtt.ra.api.Availability;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttMessageListener;
import org.bmsmqtt.ra.api.TlsSpec;
import org.bmsmqtt.ra.session.TopicFilters;

import java.util.Arrays;
import java.util.List;

/**
 * How a message-driven bean receives MQTT messages. Two modes:
 * <ul>
 * <li>{@code static} (default): this activation opens its own broker session from {@code serverUri},
 *     {@code clientId}, ... and subscribes {@code topicFilters}.</li>
 * <li>{@code runtime}: no broker settings; the endpoint receives the messages of every subscription the
 *     application makes at run time through {@code MqttConnection.subscribe}.</li>
 * </ul>
 */
@Activation(messageListeners = MqttMessageListener.class)
public class MqttActivationSpec implements ActivationSpec {

    public static final String STATIC = "static";
    public static final String RUNTIME = "runtime";

    private ResourceAdapter resourceAdapter;

    @ConfigProperty(defaultValue = STATIC, description = "static: own session and topic filters; runtime: subscriptions made through the outbound API")
    private String subscriptionMode = STATIC;
    @ConfigProperty(description = "Broker name reported on each message; defaults to the client id")
    private String brokerName = "";
    @ConfigProperty(description = "tcp://host:port or ssl://host:port")
    private String serverUri = "";
    @ConfigProperty(description = "Stable client id, unique per broker")
    private String clientId = "";
    @ConfigProperty(description = "User name; empty for none")
    private String username = "";
    @ConfigProperty(description = "Password; empty for none", confidential = true)
    private String password = "";
    @ConfigProperty(description = "Comma-separated topic filters; wildcards and $share/<group>/<filter> allowed")
    private String topicFilters = "";
    @ConfigProperty(defaultValue = "1", description = "Subscription QoS 0, 1 or 2")
    private Integer qos = 1;
    @ConfigProperty(defaultValue = "30", description = "MQTT keep-alive in seconds")
    private Integer keepAliveSeconds = BrokerSpec.DEFAULT_KEEP_ALIVE;
    @ConfigProperty(defaultValue = "5", description = "Seconds between connect attempts while the broker is away")
    private Integer reconnectIntervalSeconds = BrokerSpec.DEFAULT_RECONNECT_INTERVAL;
    @ConfigProperty(defaultValue = "3600", description = "Seconds the broker keeps the session while we are away")
    private Long sessionExpirySeconds = BrokerSpec.DEFAULT_SESSION_EXPIRY;
    @ConfigProperty(defaultValue = "4", description = "Topics delivered in parallel (messages of one topic stay in order)")
    private Integer deliveryLanes = 4;
    @ConfigProperty(defaultValue = "10", description = "Seconds one connect attempt may take")
    private Integer connectTimeoutSeconds = BrokerSpec.DEFAULT_CONNECT_TIMEOUT;
    @ConfigProperty(defaultValue = "1000", description = "QoS 1/2 messages in flight to us (MQTT receive maximum): back-pressure")
    private Integer receiveMaximum = BrokerSpec.DEFAULT_RECEIVE_MAXIMUM;
    @ConfigProperty(defaultValue = "TLSv1.3,TLSv1.2", description = "TLS versions offered (ssl:// URIs)")
    private String tlsVersions = "TLSv1.3,TLSv1.2";
    @ConfigProperty(description = "Trusted CA file: PEM, DER or PKCS#12; empty for the JVM's trust store")
    private String tlsCaFile = "";
    @ConfigProperty(description = "Password of a PKCS#12 CA file", confidential = true)
    private String tlsCaPassword = "";
    @ConfigProperty(description = "Client certificate: PKCS#12 or PEM")
    private String tlsClientCertFile = "";
    @ConfigProperty(description = "Client key (PEM) when the certificate is PEM")
    private String tlsClientKeyFile = "";
    @ConfigProperty(description = "Password of the PKCS#12 file or the encrypted key", confidential = true)
    private String tlsKeyPassword = "";
    @ConfigProperty(defaultValue = "true", description = "The broker certificate must name the host")
    private Boolean tlsHostnameVerification = true;

    public boolean isRuntimeMode() {
        return RUNTIME.equalsIgnoreCase(subscriptionMode);
    }

    public BrokerSpec brokerSpec() {
        String name = brokerName.isBlank() ? clientId : brokerName;
        List<String> uris = Arrays.stream(serverUri.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
        TlsSpec tls = new TlsSpec(Arrays.stream(tlsVersions.split(",")).map(String::trim).filter(v -> !v.isEmpty())
                .toList(), tlsCaFile, tlsCaPassword, tlsClientCertFile, tlsClientKeyFile, tlsKeyPassword,
                tlsHostnameVerification);
        return new BrokerSpec(name, uris, clientId, username, password, keepAliveSeconds, connectTimeoutSeconds,
                reconnectIntervalSeconds, sessionExpirySeconds, receiveMaximum, tls, Availability.OFF);
    }

    public List<String> topicFilterList() {
        return Arrays.stream(topicFilters.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public void validate() throws InvalidPropertyException {
        if (!isRuntimeMode() && !STATIC.equalsIgnoreCase(subscriptionMode)) {
            throw new InvalidPropertyException("subscriptionMode: must be static or runtime, was " + subscriptionMode);
        }
        if (qos == null || qos < 0 || qos > 2) {
            throw new InvalidPropertyException("qos: must be 0, 1 or 2, was " + qos);
        }
        if (deliveryLanes == null || deliveryLanes < 1) {
            throw new InvalidPropertyException("deliveryLanes: must be at least 1, was " + deliveryLanes);
        }
        if (isRuntimeMode()) {
            return;
        }
        try {
            brokerSpec();
            if (topicFilterList().isEmpty()) {
                throw new IllegalArgumentException("topicFilters: at least one topic filter is required");
            }
            topicFilterList().forEach(TopicFilters::validate);
        } catch (IllegalArgumentException e) {
            throw new InvalidPropertyException(e.getMessage());
        }
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        this.resourceAdapter = ra;
    }

    public String getSubscriptionMode() { return subscriptionMode; }
    public void setSubscriptionMode(String v) { subscriptionMode = v == null ? STATIC : v.trim(); }
    public String getBrokerName() { return brokerName; }
    public void setBrokerName(String v) { brokerName = v == null ? "" : v.trim(); }
    public String getServerUri() { return serverUri; }
    public void setServerUri(String v) { serverUri = v == null ? "" : v.trim(); }
    public String getClientId() { return clientId; }
    public void setClientId(String v) { clientId = v == null ? "" : v.trim(); }
    public String getUsername() { return username; }
    public void setUsername(String v) { username = v == null ? "" : v; }
    public String getPassword() { return password; }
    public void setPassword(String v) { password = v == null ? "" : v; }
    public String getTopicFilters() { return topicFilters; }
    public void setTopicFilters(String v) { topicFilters = v == null ? "" : v; }
    public Integer getQos() { return qos; }
    public void setQos(Integer v) { qos = v; }
    public Integer getKeepAliveSeconds() { return keepAliveSeconds; }
    public void setKeepAliveSeconds(Integer v) { keepAliveSeconds = v; }
    public Integer getReconnectIntervalSeconds() { return reconnectIntervalSeconds; }
    public void setReconnectIntervalSeconds(Integer v) { reconnectIntervalSeconds = v; }
    public Long getSessionExpirySeconds() { return sessionExpirySeconds; }
    public void setSessionExpirySeconds(Long v) { sessionExpirySeconds = v; }
    public Integer getDeliveryLanes() { return deliveryLanes; }
    public void setDeliveryLanes(Integer v) { deliveryLanes = v; }
    public Integer getConnectTimeoutSeconds() { return connectTimeoutSeconds; }
    public void setConnectTimeoutSeconds(Integer v) { connectTimeoutSeconds = v; }
    public Integer getReceiveMaximum() { return receiveMaximum; }
    public void setReceiveMaximum(Integer v) { receiveMaximum = v; }
    public String getTlsVersions() { return tlsVersions; }
    public void setTlsVersions(String v) { tlsVersions = v == null ? "" : v; }
    public String getTlsCaFile() { return tlsCaFile; }
    public void setTlsCaFile(String v) { tlsCaFile = v == null ? "" : v.trim(); }
    public String getTlsCaPassword() { return tlsCaPassword; }
    public void setTlsCaPassword(String v) { tlsCaPassword = v == null ? "" : v; }
    public String getTlsClientCertFile() { return tlsClientCertFile; }
    public void setTlsClientCertFile(String v) { tlsClientCertFile = v == null ? "" : v.trim(); }
    public String getTlsClientKeyFile() { return tlsClientKeyFile; }
    public void setTlsClientKeyFile(String v) { tlsClientKeyFile = v == null ? "" : v.trim(); }
    public String getTlsKeyPassword() { return tlsKeyPassword; }
    public void setTlsKeyPassword(String v) { tlsKeyPassword = v == null ? "" : v; }
    public Boolean getTlsHostnameVerification() { return tlsHostnameVerification; }
    public void setTlsHostnameVerification(Boolean v) { tlsHostnameVerification = v == null || v; }
}
