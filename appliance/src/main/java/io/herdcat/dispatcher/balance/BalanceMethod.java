package io.herdcat.dispatcher.balance;

/** How a new session's node is chosen (mod_jk's {@code method}). */
public enum BalanceMethod {
    /** Requests in proportion to the weights: mod_jk's default ("R"). */
    REQUESTS,
    /** Fewest requests in flight per unit of weight ("B"). */
    BUSYNESS,
    /** Fewest bytes moved per unit of weight ("T"). */
    TRAFFIC
}
