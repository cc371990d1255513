package org.mobilevpn.ike.engine;

/**
 * One mechanism's part of an exchange we initiate, in strongSwan's "task" shape: it adds its payloads
 * to our request and processes the response. Tasks of one exchange run in their list order.
 */
interface Task {

    /** What the exchange should do after a task processed the response. */
    enum Outcome {
        /** This task is satisfied. */
        DONE,
        /** Send the exchange again, rebuilt by all tasks (COOKIE, INVALID_KE_PAYLOAD); later tasks are skipped. */
        RETRY
    }

    /** Adds this task's payloads to our request. */
    void buildRequest(RequestBuilder request) throws IkeFailureException;

    /** Processes the response to the request. */
    Outcome processResponse(ReceivedMessage response) throws IkeFailureException;

    /** Whether the task has nothing left to do (its SA went away while it was queued); then it is skipped. */
    default boolean obsolete() {
        return false;
    }

    /** Called when the exchange has finished with every task DONE. */
    default void completed() throws IkeFailureException {
    }
}
