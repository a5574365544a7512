package io.sluice.checkpoint;

/**
 * Thrown when a commit is refused because another driver has taken a newer epoch. Fatal for the driver that sees
 * it: it is no longer the leader and must stop without writing anything else.
 */
public final class FencedException extends RuntimeException {
    public FencedException(Epoch epoch, Throwable cause) {
        super("commit refused: " + epoch + " has been superseded by a newer leader", cause);
    }

    /** A write refused by a sink's own epoch check ({@code what} says which). */
    public FencedException(Epoch epoch, String what) {
        super(what + " refused: " + epoch + " has been superseded by a newer leader");
    }
}
