package org.bmsmqtt.bms.configuration;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import org.bmsmqtt.bms.bacnet.BacnetChanged;
import org.bmsmqtt.bms.broker.Broker;
import org.bmsmqtt.bms.broker.BrokerChanged;
import org.bmsmqtt.bms.broker.BrokerSettings;
import org.bmsmqtt.bms.broker.SecretCipher;
import org.bmsmqtt.bms.configuration.ConfigurationImport.BindingEntry;
import org.bmsmqtt.bms.configuration.ConfigurationImport.DatapointEntry;
import org.bmsmqtt.bms.datapoint.BindingSettings;
import org.bmsmqtt.bms.datapoint.ConfigurationImported;
import org.bmsmqtt.bms.datapoint.Datapoint;
import org.bmsmqtt.bms.datapoint.MqttBinding;
import org.bmsmqtt.bms.datapoint.PayloadFormat;
import org.bmsmqtt.bms.integrated.IntegratedBrokerChanged;
import org.bmsmqtt.bms.knx.KnxBindingsChanged;
import org.bmsmqtt.bms.knx.KnxConnectionChanged;
import org.bmsmqtt.bms.shared.ConflictException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The whole configuration (brokers, datapoints, bindings; KNX by {@link KnxImporter}, BACnet by
 * {@link BacnetImporter}, the integrated broker's settings and users by {@link IntegratedBrokerImporter}) out as one
 * document and back in, in one transaction: a failing entry rolls everything back. Work in bulk: every table is read
 * once, unchanged entries are left alone, and
 * the engine is told once after commit ({@link ConfigurationImported}), not once per datapoint.
 */
@Stateless
public class ConfigurationService {

    private static final Logger LOG = Logger.getLogger(ConfigurationService.class.getName());
    private static final int CHUNK = 1000;

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private SecretCipher cipher;
    @Inject
    private Event<BrokerChanged> brokerChanges;
    @Inject
    private Event<ConfigurationImported> imported;
    @Inject
    private Event<KnxConnectionChanged> knxConnectionChanges;
    @Inject
    private Event<KnxBindingsChanged> knxBindingChanges;
    @Inject
    private Event<BacnetChanged> bacnetChanges;
    @Inject
    private Event<IntegratedBrokerChanged> integratedBrokerChanges;

    public ExportedConfiguration export() {
        List<Broker> brokers = em.createQuery("select b from Broker b order by b.name", Broker.class).getResultList();
        List<Datapoint> datapoints = em.createQuery("select d from Datapoint d order by d.name", Datapoint.class)
                .getResultList();
        Map<Long, List<ExportedConfiguration.Binding>> bindings = new HashMap<>();
        for (Object[] r : em.createQuery("select b.datapoint.id, b.broker.name, b.broker.id, b.commandTopic, "
                + "b.reportTopic, b.qos, b.retained, b.payloadFormat, b.jsonPointer from MqttBinding b order by b.id",
                Object[].class).getResultList()) {
            BindingSettings s = new BindingSettings((Long) r[2], (String) r[3], (String) r[4], (Integer) r[5],
                    (Boolean) r[6], (PayloadFormat) r[7], (String) r[8]);
            bindings.computeIfAbsent((Long) r[0], k -> new ArrayList<>(1))
                    .add(new ExportedConfiguration.Binding((String) r[1], s));
        }
        return new ExportedConfiguration(brokers, datapoints, bindings,
                new KnxImporter(em).export(), new BacnetImporter(em).export(),
                new IntegratedBrokerImporter(em, cipher).export());
    }

    public ImportResult importConfiguration(ConfigurationImport doc) {
        long t0 = System.nanoTime();
        Map<String, Broker> storedBrokers = new HashMap<>();
        em.createQuery("select b from Broker b", Broker.class).getResultList()
                .forEach(b -> storedBrokers.put(b.getName(), b));
        Map<String, Datapoint> storedDatapoints = new HashMap<>();
        em.createQuery("select d from Datapoint d", Datapoint.class).getResultList()
                .forEach(d -> storedDatapoints.put(d.getName(), d));
        ImportCheck.check(doc, storedBrokers, storedDatapoints);
        IntegratedBrokerImporter integrated = new IntegratedBrokerImporter(em, cipher);
        integrated.check(doc);

        Counts n = new Counts();
        IntegratedBrokerImporter.Changes broker = integrated.apply(doc);
        n.integrated = broker;
        Set<Long> changedDatapoints = new HashSet<>();
        List<BrokerChanged> brokerEvents = new ArrayList<>();
        if (doc.replace()) {
            deleteUnnamed(doc, storedBrokers, storedDatapoints, n, changedDatapoints, brokerEvents);
        }
        Map<String, Broker> brokers = importBrokers(doc, storedBrokers, n, brokerEvents);
        importDatapoints(doc, storedDatapoints, brokers, n, changedDatapoints);
        KnxImporter.Changes knx = new KnxImporter(em).apply(doc);
        n.knxConnectionsApplied = knx.connectionsApplied();
        n.knxBindings = knx.bindings();
        BacnetImporter.Changes bacnet = new BacnetImporter(em).apply(doc);
        n.bacnetNetworkApplied = bacnet.networkChanged();
        n.bacnetBindings = bacnet.bindings();
        changedDatapoints.addAll(bacnet.bindingsOf()); // the BACnet network re-reads its bindings on the event
        try {
            em.flush();
        } catch (PersistenceException e) {
            LOG.warning("BMS0800 configuration import refused by the database: " + e.getMessage());
            throw new ConflictException("", "the database refused the configuration (a name, path or client id "
                    + "clash between entries, e.g. two datapoints swapping paths): import it in two steps");
        }
        brokerEvents.forEach(brokerChanges::fire);
        knx.connections().forEach(knxConnectionChanges::fire);
        knx.bindingsOf().forEach(id -> knxBindingChanges.fire(new KnxBindingsChanged(id)));
        if (bacnet.networkChanged()) {
            bacnetChanges.fire(new BacnetChanged(null));
        }
        if (broker.settings() || broker.users()) {
            integratedBrokerChanges.fire(new IntegratedBrokerChanged(broker.settings(), broker.users()));
        }
        if (!changedDatapoints.isEmpty()) {
            imported.fire(new ConfigurationImported(changedDatapoints));
        }
        ImportResult result = n.result();
        LOG.info("BMS0801 configuration imported (" + (doc.replace() ? "replace" : "merge") + "): " + result + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return result;
    }

    private void deleteUnnamed(ConfigurationImport doc, Map<String, Broker> storedBrokers,
                               Map<String, Datapoint> storedDatapoints, Counts n, Set<Long> changedDatapoints,
                               List<BrokerChanged> brokerEvents) {
        Set<String> dpNames = new HashSet<>();
        doc.datapoints().forEach(d -> dpNames.add(d.settings().name()));
        List<Long> gone = new ArrayList<>();
        for (Datapoint d : List.copyOf(storedDatapoints.values())) {
            if (!dpNames.contains(d.getName())) {
                gone.add(d.getId());
                storedDatapoints.remove(d.getName());
            }
        }
        for (int from = 0; from < gone.size(); from += CHUNK) {
            List<Long> chunk = gone.subList(from, Math.min(gone.size(), from + CHUNK));
            em.createQuery("delete from MqttBinding b where b.datapoint.id in :ids").setParameter("ids", chunk)
                    .executeUpdate();
            em.createQuery("delete from Datapoint d where d.id in :ids").setParameter("ids", chunk).executeUpdate();
        }
        for (Long id : gone) {
            em.createNativeQuery("DELETE FROM value_history WHERE datapoint_id = ?").setParameter(1, id)
                    .executeUpdate();
        }
        changedDatapoints.addAll(gone);
        n.datapointsDeleted = gone.size();

        Set<String> brokerNames = new HashSet<>();
        doc.brokers().forEach(b -> brokerNames.add(b.name()));
        for (Broker b : List.copyOf(storedBrokers.values())) {
            if (!brokerNames.contains(b.getName())) {
                em.createQuery("delete from MqttBinding m where m.broker.id = :id").setParameter("id", b.getId())
                        .executeUpdate();
                em.remove(b);
                storedBrokers.remove(b.getName());
                brokerEvents.add(new BrokerChanged(b.getId(), true));
                n.brokersDeleted++;
            }
        }
    }

    private Map<String, Broker> importBrokers(ConfigurationImport doc, Map<String, Broker> stored, Counts n,
                                              List<BrokerChanged> brokerEvents) {
        Map<String, Broker> byName = new HashMap<>(stored);
        for (BrokerSettings s : doc.brokers()) {
            Broker b = stored.get(s.name());
            if (b == null) {
                b = new Broker(s, cipher);
                em.persist(b);
                brokerEvents.add(new BrokerChanged(b.getId(), false));
                n.brokersCreated++;
            } else if (changes(b, s)) {
                b.apply(s, cipher);
                brokerEvents.add(new BrokerChanged(b.getId(), false));
                n.brokersUpdated++;
            } else {
                n.brokersUnchanged++;
            }
            byName.put(s.name(), b);
        }
        return byName;
    }

    /** Whether applying {@code s} changes anything: settings, or a secret given that differs from the stored one. */
    private boolean changes(Broker b, BrokerSettings s) {
        BrokerSettings now = b.settingsWithoutSecrets();
        BrokerSettings next = new BrokerSettings(s.name(), s.path(), s.host(), s.port(), s.clientId(), s.username(),
                null, s.reconnectIntervalSeconds(), s.keepAliveSeconds(), s.tls(), s.tlsVersions(), s.caFile(),
                s.clientCertFile(), s.clientKeyFile(), null, s.hostnameVerification(), s.antiEchoMillis(), s.enabled(),
                s.internalUser(), s.confirmCommands(), s.ecosystem());
        return !now.equals(next)
                || (s.password() != null && !s.password().equals(cipher.decrypt(b.getPasswordEnc())))
                || (s.keyPassword() != null && !s.keyPassword().equals(cipher.decrypt(b.getTlsKeyPasswordEnc())));
    }

    private void importDatapoints(ConfigurationImport doc, Map<String, Datapoint> stored, Map<String, Broker> brokers,
                                  Counts n, Set<Long> changed) {
        Map<Long, List<MqttBinding>> storedBindings = new HashMap<>();
        em.createQuery("select b from MqttBinding b join fetch b.broker order by b.id", MqttBinding.class)
                .getResultList().forEach(b -> storedBindings.computeIfAbsent(b.getDatapoint().getId(),
                        k -> new ArrayList<>(1)).add(b));
        for (DatapointEntry e : doc.datapoints()) {
            Datapoint d = stored.get(e.settings().name());
            boolean dpChanged;
            if (d == null) {
                d = new Datapoint(e.settings());
                em.persist(d);
                n.datapointsCreated++;
                dpChanged = true;
            } else {
                dpChanged = !d.settings().equals(e.settings());
                if (dpChanged) {
                    d.apply(e.settings());
                }
            }
            List<BindingSettings> wanted = new ArrayList<>(e.bindings().size());
            List<Broker> targets = new ArrayList<>(e.bindings().size());
            for (BindingEntry be : e.bindings()) {
                BindingSettings s = be.settings();
                Broker broker = brokers.get(be.broker());
                targets.add(broker);
                wanted.add(new BindingSettings(broker.getId(), s.commandTopic(), s.reportTopic(), s.qos(),
                        s.retained(), s.payloadFormat(), s.jsonPointer()));
            }
            List<MqttBinding> old = storedBindings.getOrDefault(d.getId(), List.of());
            if (!old.stream().map(MqttBinding::settings).toList().equals(wanted)) {
                old.forEach(em::remove);
                for (int i = 0; i < wanted.size(); i++) {
                    em.persist(new MqttBinding(d, targets.get(i), wanted.get(i)));
                }
                dpChanged = true;
            }
            n.bindings += wanted.size();
            if (dpChanged) {
                changed.add(d.getId());
                if (stored.containsKey(e.settings().name())) {
                    n.datapointsUpdated++;
                }
            }
        }
    }

    private static final class Counts {
        int brokersCreated, brokersUpdated, brokersUnchanged, brokersDeleted;
        int datapointsCreated, datapointsUpdated, datapointsDeleted, bindings;
        int knxConnectionsApplied, knxBindings, bacnetBindings;
        boolean bacnetNetworkApplied;
        IntegratedBrokerImporter.Changes integrated;

        ImportResult result() {
            return new ImportResult(brokersCreated, brokersUpdated, brokersUnchanged, brokersDeleted, datapointsCreated,
                    datapointsUpdated, datapointsDeleted, bindings, knxConnectionsApplied, knxBindings,
                    bacnetNetworkApplied, bacnetBindings, integrated.settings(), integrated.usersCreated(),
                    integrated.usersUpdated(), integrated.usersDeleted());
        }
    }
}
