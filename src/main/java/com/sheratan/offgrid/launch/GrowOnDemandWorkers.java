package com.sheratan.offgrid.launch;

import io.vertx.core.spi.ExecutorServiceFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker pools of every Vert.x in this JVM (installed through
 * {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}): a pool starts a thread only when
 * none of its threads is idle, up to the pool's size. As in Vert.x's own pool, a thread never ends
 * before the pool does (so a task queued for an idle thread is never left waiting for a busy one).
 * <p>
 * Vert.x's own pool is a fixed {@link ThreadPoolExecutor}, which starts a new thread for every task
 * until the pool is full. The core's and the broker's pools are sized for slow jobs (200 each: a
 * dispatch holds its worker for the whole auction), so under any steady load all 200 threads came
 * to exist and took turns. Every young collection then scanned some 400 idle stacks more, and each
 * task ran on the thread that had waited longest. With this pool the threads are as many as the
 * tasks that ran at the same time; the limit, and so how many slow jobs can wait at once, is the
 * same.
 */
public final class GrowOnDemandWorkers implements ExecutorServiceFactory {
    @Override
    public ExecutorService createExecutor(ThreadFactory threadFactory, Integer concurrency, Integer maxConcurrency) {
        return new Pool(maxConcurrency, threadFactory);
    }

    static final class Pool extends ThreadPoolExecutor {
        /** tasks handed to the pool and not yet finished: more of them than threads means none is idle */
        private final AtomicInteger unfinished = new AtomicInteger();

        Pool(int maxThreads, ThreadFactory threadFactory) {
            super(0, maxThreads, Long.MAX_VALUE, TimeUnit.NANOSECONDS, new Tasks(), threadFactory,
                    (task, pool) -> ((Pool) pool).queueWhenFull(task));
            ((Tasks) getQueue()).pool = this;
        }

        @Override
        public void execute(Runnable task) {
            unfinished.incrementAndGet();
            try {
                super.execute(task);
            } catch (RuntimeException | Error e) {
                unfinished.decrementAndGet();
                throw e;
            }
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            unfinished.decrementAndGet();
        }

        /** an idle thread will take it, or every thread the pool may have is busy: it waits in the queue */
        private boolean queueRatherThanStartThread() {
            int threads = getPoolSize();
            return unfinished.get() <= threads || threads >= getMaximumPoolSize();
        }

        /** another task started the last thread the pool may have in between: this one waits its turn */
        private void queueWhenFull(Runnable task) {
            if (isShutdown()) {
                throw new RejectedExecutionException("the worker pool is shut down");
            }
            ((Tasks) getQueue()).queue(task);
        }
    }

    /** {@link ThreadPoolExecutor} starts a thread (up to its maximum) when the queue refuses a task */
    static final class Tasks extends LinkedBlockingQueue<Runnable> {
        private Pool pool;

        @Override
        public boolean offer(Runnable task) {
            return pool.queueRatherThanStartThread() && super.offer(task);
        }

        void queue(Runnable task) {
            super.offer(task);
        }
    }
}
