package io.sluice.wal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The key and certificate receivers serve HTTPS with: a PKCS12 (or JKS) keystore read once by the driver and given to
 * its receivers with their settings, so executors need no file of their own. The password is never printed.
 *
 * @param keystore the keystore's bytes
 * @param password its password (also the key's)
 */
public record ReceiverTls(byte[] keystore, String password) implements Serializable {
    /**
     * Reads and checks a keystore: it must open with {@code password} and hold a key.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static ReceiverTls load(Path file, String password) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the keystore " + file + ": " + e);
        }
        ReceiverTls tls = new ReceiverTls(bytes, password);
        try {
            tls.sslContext();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the keystore " + file + " does not open with the password given,"
                    + " or holds no key: " + e.getMessage());
        }
        return tls;
    }

    /** A server context with the keystore's key. */
    public SSLContext sslContext() throws GeneralSecurityException, IOException {
        // PKCS12 in JDK 17 also reads JKS keystores (keystore.type.compat)
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(keystore), password.toCharArray());
        if (!store.aliases().hasMoreElements() || !hasKey(store)) {
            throw new GeneralSecurityException("no private key in the keystore");
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ReceiverTls[keystore of " + keystore.length + " bytes]";
    }
}
