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

/**
 * The job store's writer: every write runs on one connection in one thread, and the writes that
 * arrive together share one commit. A caller still returns only once its own change is committed
 * to the file (the store's durability promise is unchanged), but under load one commit serves
 * dozens of jobs instead of each job paying for its own — a commit is the costly part of H2 with
 * {@code WRITE_DELAY=0}. Serial writes also make "insert or find the known job" race-free.
 */
final class GroupCommit implements AutoCloseable {
    private static final int MAX_GROUP = 256;

    /** One write; runs inside the shared transaction. A failed statement undoes only itself (H2). */
    @FunctionalInterface
    interface Write<T> {
        T apply(Connection connection) throws SQLException;
    }

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
    private final Connection connection;
    private final Runnable afterCommit;
    private final Thread writer;
    private volatile boolean open = true;

    /** {@code afterCommit} runs on the writer thread after each group, once its callers are released. */
    GroupCommit(Connection connection, String name, Runnable afterCommit) throws SQLException {
        this.connection = connection;
        this.afterCommit = afterCommit;
        connection.setAutoCommit(false);
        this.writer = new Thread(this::writeGroups, name);
        writer.setDaemon(true);
        writer.start();
    }

    <T> T write(Write<T> write) throws SQLException {
        if (!open) {
            throw new SQLException("the job store is closed");
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
        failAll(new SQLException("the job store is closed"));
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

    @Override
    public void close() {
        open = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing on shutdown; nothing left to lose: every write was committed or failed
        }
    }
}
