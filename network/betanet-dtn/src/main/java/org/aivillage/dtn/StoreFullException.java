package org.aivillage.dtn;

/** The bundle store is full and the eviction policy found no room: the bundle was not accepted. */
public class StoreFullException extends DtnException {
    public StoreFullException(String message) {
        super(message);
    }
}
