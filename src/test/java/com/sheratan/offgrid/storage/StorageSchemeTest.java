package com.sheratan.offgrid.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** offgrid.storage.scheme: auto by the number of hosts, rs-K-M, replicate-R, and what is refused. */
class StorageSchemeTest {
    @Test
    void autoFollowsTheActiveHosts() {
        assertNull(StorageScheme.auto(1));
        assertEquals(new StorageScheme(1, 1), StorageScheme.auto(2), "two hosts: two full copies");
        assertEquals(new StorageScheme(2, 1), StorageScheme.auto(3));
        assertEquals(new StorageScheme(3, 1), StorageScheme.auto(4));
        assertEquals(new StorageScheme(4, 2), StorageScheme.auto(6));
        assertEquals(new StorageScheme(4, 2), StorageScheme.auto(20), "never more than six hosts");
    }

    @Test
    void namedSchemesParse() {
        assertNull(StorageScheme.parse("auto"));
        assertEquals(new StorageScheme(4, 2), StorageScheme.parse("rs-4-2"));
        assertEquals(new StorageScheme(1, 2), StorageScheme.parse("replicate-3"));
        for (String bad : new String[] {"rs-0-2", "rs-4", "replicate-0", "raid5", "", "rs-200-100"}) {
            assertThrows(IllegalArgumentException.class, () -> StorageScheme.parse(bad), bad);
        }
    }
}
