package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the dashboard's event stream tells about jobs: each outcome is put on the queue of every open
 * stream, which drains it on its own timer. With no stream open, a job's outcome costs one empty
 * iteration; a stream that falls behind keeps only its newest {@link #KEPT} events.
 */
public final class JobEvents {
    static final int KEPT = 500;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    /** One open stream's events, oldest first. */
    public static final class Subscriber {
        private final Queue<String> events = new ConcurrentLinkedQueue<>();
        private final AtomicInteger size = new AtomicInteger();

        void offer(String event) {
            events.add(event);
            if (size.incrementAndGet() > KEPT && events.poll() != null) {
                size.decrementAndGet();
            }
        }

        /** The next event, or null when there is none. */
        public String poll() {
            String event = events.poll();
            if (event != null) {
                size.decrementAndGet();
            }
            return event;
        }
    }

    void published(String jobId, String status, String method, String reason) {
        if (subscribers.isEmpty()) {
            return;
        }
        ObjectNode event = Json.object();
        event.put("job_id", jobId);
        event.put("status", status);
        event.put("method", method);
        event.put("reason", reason);
        String text = event.toString();
        subscribers.forEach(s -> s.offer(text));
    }

    public Subscriber subscribe() {
        Subscriber subscriber = new Subscriber();
        subscribers.add(subscriber);
        return subscriber;
    }

    public void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }
}
