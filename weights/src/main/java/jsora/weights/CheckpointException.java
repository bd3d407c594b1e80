package jsora.weights;

/** Any problem with a checkpoint file: the message names the file and, where there is one, the key. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
