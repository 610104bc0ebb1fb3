package com.sheratan.offgrid.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The job store's writer: every write runs on one connection in one thread, and the writes that
 * arrive together share one commit. A caller still returns only once its own change is committed
 * to the file (the store's durability promise is unchanged), but under load one commit serves
 * dozens of jobs instead of each job paying for its own — a commit is the costly part of H2 with
 * {@code WRITE_DELAY=0}. Serial writes also make "insert or find the known job" race-free.
 *
 * <p>A Camel service: starting it takes the writer's connection and starts its thread, which also
 * takes the steps of {@link StoreCompaction} between commits; stopping it lets the thread finish the
 * writes already waiting and closes the connection. A write while it is not started is refused.
 */
final class GroupCommit extends ServiceSupport implements JobWrites {
    private static final int MAX_GROUP = 256;
    private static final String CLOSED = "the job store is closed";

    private record Pending<T>(Write<T> write, CompletableFuture<T> done) {
        void run(Connection connection, List<Runnable> outcomes) {
            try {
                T result = write.apply(connection);
                outcomes.add(() -> done.complete(result));
            } catch (SQLException | RuntimeException e) {
                outcomes.add(() -> done.completeExceptionally(e));
            }
        }
    }

    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final JobDatabase database;
    private final String threadName;
    private Connection connection;
    private Runnable afterCommit;
    private Thread writer;
    private volatile boolean open;

    /** Writes to {@code database} on a thread named {@code threadName} once started. */
    GroupCommit(JobDatabase database, String threadName) {
        this.database = database;
        this.threadName = threadName;
    }

    @Override
    protected void doStart() throws SQLException {
        connection = database.connection();
        connection.setAutoCommit(false);
        StoreCompaction compaction = StoreCompaction.of(connection);
        afterCommit = compaction == null ? () -> { } : compaction::step;
        open = true;
        writer = new Thread(this::writeGroups, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /** Runs inside the shared transaction. A failed statement undoes only itself (H2). */
    @Override
    public <T> T write(Write<T> write) throws SQLException {
        if (!open) {
            throw new SQLException(CLOSED);
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        queue.add(new Pending<>(write, done));
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the job store", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new SQLException(e.getCause());
        }
    }

    private void writeGroups() {
        List<Pending<?>> group = new ArrayList<>(MAX_GROUP);
        List<Runnable> outcomes = new ArrayList<>(MAX_GROUP);
        while (open || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                for (Pending<?> pending : group) {
                    pending.run(connection, outcomes);
                }
                commit(group, outcomes);
                afterCommit.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                open = false;
            } finally {
                group.clear();
                outcomes.clear();
            }
        }
        failAll(new SQLException(CLOSED));
    }

    private void commit(List<Pending<?>> group, List<Runnable> outcomes) {
        try {
            connection.commit();
            outcomes.forEach(Runnable::run);
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the commit failure is what every caller hears about
            }
            group.forEach(pending -> pending.done().completeExceptionally(e));
        }
    }

    private void failAll(SQLException e) {
        Pending<?> pending;
        while ((pending = queue.poll()) != null) {
            pending.done().completeExceptionally(e);
        }
    }

    /** Also after a start that failed half-way (Camel stops the service then). */
    @Override
    protected void doStop() {
        open = false;
        if (writer != null) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing on shutdown; nothing left to lose: every write was committed or failed
            }
        }
    }
}
