package com.sheratan.offgrid.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GrowOnDemandWorkersTest {

    @Test
    void tasksOneAfterAnotherDoNotStartAThreadEach() throws Exception {
        ExecutorService pool = new GrowOnDemandWorkers().createExecutor(Executors.defaultThreadFactory(), 200, 200);
        try {
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 300; i++) {
                pool.submit(() -> threads.add(Thread.currentThread())).get(5, TimeUnit.SECONDS);
            }
            // the caller sees a task done a moment before its thread counts itself free, so now and then
            // a thread more starts (never one fewer than needed); a fixed pool of 200 starts 200
            assertTrue(threads.size() <= 10, threads.size() + " threads");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void busyTasksGetAThreadEachUpToTheLimitAndTheRestWaitTheirTurn() throws Exception {
        int limit = 4;
        ExecutorService pool = new GrowOnDemandWorkers().createExecutor(Executors.defaultThreadFactory(), limit, limit);
        try {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            Future<?>[] tasks = new Future<?>[limit * 5];
            for (int i = 0; i < tasks.length; i++) {
                tasks[i] = pool.submit(() -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    release.await(10, TimeUnit.SECONDS);
                    running.decrementAndGet();
                    return null;
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (running.get() < limit && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100);
            assertEquals(limit, running.get(), "every thread the pool may have is busy, no more");
            release.countDown();
            for (Future<?> task : tasks) {
                task.get(10, TimeUnit.SECONDS); // none is lost
            }
            assertEquals(limit, mostAtOnce.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyVertxInThisJvmUsesIt() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(50));
        try {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 100; i++) {
                vertx.executeBlocking(() -> threads.add(Thread.currentThread().getName()), false)
                        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            assertTrue(threads.size() <= 10, "blocking calls one after another ran on " + threads);
            assertTrue(threads.iterator().next().startsWith("vert.x-worker-thread"), threads.toString());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
