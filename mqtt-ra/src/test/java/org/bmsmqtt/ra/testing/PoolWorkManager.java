package org.bmsmqtt.ra.testing;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/** A JCA work manager on a thread pool that counts the Works scheduled on it (the adapter outside a server). */
public final class PoolWorkManager implements WorkManager {

    private final Executor workers;
    private final AtomicLong scheduled = new AtomicLong();

    public PoolWorkManager(Executor workers) {
        this.workers = workers;
    }

    /** Works scheduled or started so far. */
    public long scheduled() {
        return scheduled.get();
    }

    @Override
    public void doWork(Work work) {
        work.run();
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener) {
        work.run();
    }

    @Override
    public long startWork(Work work) throws WorkException {
        scheduleWork(work);
        return 0;
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener)
            throws WorkException {
        scheduleWork(work);
        return 0;
    }

    @Override
    public void scheduleWork(Work work) throws WorkException {
        scheduled.incrementAndGet();
        try {
            workers.execute(work);
        } catch (RejectedExecutionException e) {
            throw new WorkException(e);
        }
    }

    @Override
    public void scheduleWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener)
            throws WorkException {
        scheduleWork(work);
    }
}
