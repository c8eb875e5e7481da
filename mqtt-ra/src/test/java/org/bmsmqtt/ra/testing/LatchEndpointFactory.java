package org.bmsmqtt.ra.testing;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.MqttMessageListener;

import javax.transaction.xa.XAResource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Endpoints that record what they receive and let a test wait for a number of messages. */
public final class LatchEndpointFactory implements MessageEndpointFactory {

    private final ConcurrentLinkedQueue<MqttMessage> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger activeEndpoints = new AtomicInteger();
    private final AtomicInteger createdEndpoints = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    private volatile CountDownLatch latch;
    private volatile Consumer<MqttMessage> behaviour = m -> { };
    private volatile boolean refuseBatches;
    private volatile boolean directPath;
    private final AtomicInteger invocations = new AtomicInteger();
    private final AtomicInteger directCalls = new AtomicInteger();
    private volatile ClassLoader directLoaderSeen;

    public LatchEndpointFactory(int expected) {
        this.latch = new CountDownLatch(expected);
    }

    /** What each call does before it is recorded; throw to fail the delivery. */
    public LatchEndpointFactory behaving(Consumer<MqttMessage> onMessage) {
        this.behaviour = onMessage;
        return this;
    }

    /** Like a container that only knows {@code onMessage}: every {@code onMessages} call fails. */
    public LatchEndpointFactory refusingBatches() {
        this.refuseBatches = true;
        return this;
    }

    /** Endpoints that offer a direct path (MqttMessageListener#directPath) doing what onMessage does. */
    public LatchEndpointFactory withDirectPath() {
        this.directPath = true;
        return this;
    }

    /** Calls of onMessage and onMessages through the endpoints (each one a container invocation in a server). */
    public int invocations() {
        return invocations.get();
    }

    /** Messages taken by the direct path. */
    public int directCalls() {
        return directCalls.get();
    }

    /** The context class loader the last direct call ran with. */
    public ClassLoader directLoaderSeen() {
        return directLoaderSeen;
    }

    private void record(MqttMessage m) {
        behaviour.accept(m);
        received.add(m);
        count.incrementAndGet();
        latch.countDown();
    }

    public void expect(int expected) {
        latch = new CountDownLatch(expected);
    }

    public boolean await(Duration timeout) throws InterruptedException {
        return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<MqttMessage> received() {
        return List.copyOf(received);
    }

    public int count() {
        return count.get();
    }

    /** How many calls of {@code onMessages} (several messages in one call) the adapter made. */
    public int batches() {
        return batches.get();
    }

    /** Endpoints created and not yet released. */
    public int activeEndpoints() {
        return activeEndpoints.get();
    }

    /** How many endpoints the adapter created (each one a container proxy in a server). */
    public int createdEndpoints() {
        return createdEndpoints.get();
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource) throws UnavailableException {
        activeEndpoints.incrementAndGet();
        createdEndpoints.incrementAndGet();
        InvocationHandler handler = new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method method, Object[] args) {
                switch (method.getName()) {
                    case "onMessage" -> {
                        invocations.incrementAndGet();
                        record((MqttMessage) args[0]);
                        return null;
                    }
                    case "directPath" -> {
                        if (!directPath) {
                            return null;
                        }
                        return (Consumer<MqttMessage>) m -> {
                            directCalls.incrementAndGet();
                            directLoaderSeen = Thread.currentThread().getContextClassLoader();
                            record(m);
                        };
                    }
                    case "onMessages" -> {
                        @SuppressWarnings("unchecked")
                        List<MqttMessage> batch = (List<MqttMessage>) args[0];
                        if (refuseBatches) {
                            throw new UnsupportedOperationException("this endpoint takes one message at a time");
                        }
                        batches.incrementAndGet();
                        invocations.incrementAndGet();
                        for (MqttMessage m : batch) {
                            record(m);
                        }
                        return null;
                    }
                    case "release" -> {
                        activeEndpoints.decrementAndGet();
                        return null;
                    }
                    case "toString" -> {
                        return "test endpoint";
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    default -> {
                        return null;
                    }
                }
            }
        };
        return (MessageEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageEndpoint.class, MqttMessageListener.class}, handler);
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) throws UnavailableException {
        return createEndpoint(xaResource);
    }

    @Override
    public boolean isDeliveryTransacted(Method method) {
        return false;
    }

    @Override
    public String getActivationName() {
        return "test-endpoint";
    }

    @Override
    public Class<?> getEndpointClass() {
        return MqttMessageListener.class;
    }
}
