package com.sheratan.offgrid.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResultStoreTest {
    private static byte[] answer(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertKept(ResultStore store, String jobId, String answer) {
        assertArrayEquals(answer(answer), store.get(jobId), jobId);
    }

    @Test
    void keepsTheLastAnswerOfEachJobByteForByte() {
        ResultStore store = new ResultStore(10, 100);
        store.put("a", answer("first of a"));
        store.put("b", answer("b"));
        store.put("a", answer("second of a"));
        assertKept(store, "a", "second of a");
        assertKept(store, "b", "b");
        assertNull(store.get("never-seen"));
    }

    @Test
    void forgetsTheOldestPastTheCount() {
        ResultStore store = new ResultStore(2, 100);
        store.put("a", answer("aa"));
        store.put("b", answer("bb"));
        store.put("c", answer("cc"));
        assertNull(store.get("a"));
        assertKept(store, "b", "bb");
        assertKept(store, "c", "cc");
    }

    @Test
    void forgetsTheOldestPastTheBytesAndWrapsAround() {
        ResultStore store = new ResultStore(100, 10);
        store.put("a", answer("aaaa"));
        store.put("b", answer("bbbb"));
        // 8 of 10 bytes used: "cccc" goes back to the start, over "aaaa" only
        store.put("c", answer("cccc"));
        assertNull(store.get("a"));
        assertKept(store, "b", "bbbb");
        assertKept(store, "c", "cccc");
        // after "cccc" (at 0-4): "ddddd" fits at 4-9 over "bbbb"
        store.put("d", answer("ddddd"));
        assertNull(store.get("b"));
        assertKept(store, "c", "cccc");
        assertKept(store, "d", "ddddd");
    }

    @Test
    void anAnswerLargerThanTheStoreIsNotKeptAndTheJobsEarlierAnswerIsForgotten() {
        ResultStore store = new ResultStore(100, 10);
        store.put("a", answer("small"));
        store.put("b", answer("kept"));
        store.put("a", answer("eleven bytes"));
        assertNull(store.get("a"), "an earlier answer would no longer be the job's last");
        assertKept(store, "b", "kept");
        store.put("c", answer("0123456789"));
        assertKept(store, "c", "0123456789");
        assertNull(store.get("b"));
    }

    @Test
    void aReplacedAnswerForgottenLaterDoesNotTakeTheNewOneWithIt() {
        ResultStore store = new ResultStore(3, 100);
        store.put("a", answer("old a"));
        store.put("a", answer("new a"));
        store.put("b", answer("b"));
        // the count is full of a's two answers and b: the next one forgets a's old answer only
        store.put("c", answer("c"));
        assertKept(store, "a", "new a");
    }

    @Test
    void agreesWithAPlainMapOfTheNewestAnswersWithinBothBounds() {
        Random random = new Random(7);
        int limit = 20;
        int capacity = 300;
        ResultStore store = new ResultStore(limit, capacity);
        // the model: every answer in order; a job's answer is kept when it is among the newest that fit
        List<Map.Entry<String, byte[]>> history = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String jobId = "job-" + random.nextInt(40);
            byte[] bytes = new byte[1 + random.nextInt(random.nextInt(10) == 0 ? 400 : 40)];
            random.nextBytes(bytes);
            store.put(jobId, bytes);
            history.add(Map.entry(jobId, bytes));
            Map<String, byte[]> mustHave = newestSurely(history, limit, capacity);
            for (Map.Entry<String, byte[]> expected : mustHave.entrySet()) {
                assertArrayEquals(expected.getValue(), store.get(expected.getKey()), "after put " + i);
            }
            // anything it answers is the job's last answer
            for (int job = 0; job < 40; job++) {
                byte[] got = store.get("job-" + job);
                if (got != null) {
                    assertArrayEquals(last(history, "job-" + job), got, "after put " + i);
                }
            }
        }
    }

    @Test
    void aStoreKeepsAtLeastOneAnswerOfOneByte() {
        assertThrows(IllegalArgumentException.class, () -> new ResultStore(0, 10));
    }

    /**
     * The answers a ring of {@code capacity} bytes must still hold: the newest ones, as long as they
     * take at most half of it (a ring loses at most the room at its end it skipped when it wrapped,
     * which is less than the answer that did not fit there) and number at most {@code limit}.
     */
    private static Map<String, byte[]> newestSurely(List<Map.Entry<String, byte[]>> history, int limit, int capacity) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int bytes = 0;
        int count = 0;
        for (int i = history.size() - 1; i >= 0; i--) {
            Map.Entry<String, byte[]> entry = history.get(i);
            bytes += entry.getValue().length;
            count++;
            if (bytes > capacity / 2 || count > limit) {
                break;
            }
            out.putIfAbsent(entry.getKey(), entry.getValue());
        }
        return out;
    }

    private static byte[] last(List<Map.Entry<String, byte[]>> history, String jobId) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).getKey().equals(jobId)) {
                return history.get(i).getValue();
            }
        }
        return null;
    }
}
