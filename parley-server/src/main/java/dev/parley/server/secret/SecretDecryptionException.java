package dev.parley.server.secret;

/** A stored secret could not be decrypted: wrong row or field, unknown (retired) key, or damaged text. */
public class SecretDecryptionException extends RuntimeException {

    public SecretDecryptionException(String message) {
        super(message);
    }
}
