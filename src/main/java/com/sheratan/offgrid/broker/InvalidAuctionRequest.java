package com.sheratan.offgrid.broker;

/** The body of {@code POST /auction} is not an Offgrid request; the message is the 400's {@code detail}. */
public class InvalidAuctionRequest extends RuntimeException {
    public InvalidAuctionRequest(String detail) {
        super(detail);
    }
}
