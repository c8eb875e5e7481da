package org.bmsmqtt.bms.datapoint;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.broker.TopicScheme;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.NotFoundException;
import org.bmsmqtt.ra.api.MqttMessage;

import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/** Reads and writes datapoint values, from the API and from MQTT command topics alike. */
@Stateless
public class DatapointService {

    private static final Logger LOG = Logger.getLogger(DatapointService.class.getName());

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private TopicScheme topics;
    @Inject
    private Origin origin;
    @Inject
    private Event<ValueChanged> changes;

    public Datapoint get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("name", "no datapoint named '" + name + "'"));
    }

    /**
     * Writes a value given as text; creates the datapoint (REAL) on its first value.
     *
     * @throws InvalidValueException when the text does not fit the datapoint's data type
     */
    public Datapoint write(String name, String text, String source) {
        requireName(name);
        Datapoint dp = find(name).orElseGet(() -> create(name));
        String value = ValueCodec.canonical(dp.getDataType(), text, "value");
        Instant now = Instant.now();
        dp.accept(value, now, source);
        changes.fire(new ValueChanged(name, value, now, source));
        return dp;
    }

    /** A message on a command topic. Bad payloads are counted on the datapoint, logged once, never thrown. */
    public void command(MqttMessage message) {
        if (origin.isOurs(message.userProperties())) {
            return; // our own publication coming back: never loop
        }
        Optional<String> name = topics.datapointOfCommand(message.topic());
        if (name.isEmpty()) {
            LOG.fine(() -> "not a command topic: " + message.topic());
            return;
        }
        String source = "mqtt:" + message.broker() + ":" + message.topic();
        try {
            write(name.get(), message.payloadAsString(), source);
        } catch (InvalidValueException e) {
            Datapoint dp = find(name.get()).orElseGet(() -> create(name.get()));
            dp.reject(e.getMessage() + " (from " + source + ")");
            if (dp.getRejectedCount() == 1) {
                LOG.warning("BMS0300 datapoint " + name.get() + " rejected a payload from " + source + ": "
                        + e.getMessage() + " (further rejections are counted on the datapoint, not logged)");
            }
        }
    }

    private Optional<Datapoint> find(String name) {
        return em.createNamedQuery("Datapoint.byName", Datapoint.class).setParameter("name", name)
                .getResultStream().findFirst();
    }

    private Datapoint create(String name) {
        Datapoint dp = new Datapoint(name, DataType.REAL);
        em.persist(dp);
        return dp;
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 200 || name.contains("/") || name.contains("+")
                || name.contains("#")) {
            throw new InvalidValueException("name", "a datapoint name is 1-200 characters without '/', '+' or '#'");
        }
    }
}
