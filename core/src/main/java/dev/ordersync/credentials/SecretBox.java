package dev.ordersync.credentials;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.LoggerFactory;

/**
 * Secrets at rest: AES-256-GCM under a key derived from {@code ORDER_SYNC_SECRET_KEY}, or, without
 * a key, as given (said once in the log). Stored values say which: {@code v1:} or {@code plain:}.
 */
public final class SecretBox {
  /** Said once per process, when a token is first stored as given (not by commands that read). */
  private static final java.util.concurrent.atomic.AtomicBoolean WARNED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private static final String SEALED = "v1:";
  private static final String PLAIN = "plain:";
  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param key the configured key, or null for none
   */
  public SecretBox(String key) {
    this.key = key == null || key.isBlank() ? null : new SecretKeySpec(sha256(key), "AES");
  }

  public boolean hasKey() {
    return key != null;
  }

  public String seal(String value) {
    if (key == null) {
      if (WARNED.compareAndSet(false, true)) {
        LoggerFactory.getLogger(SecretBox.class)
            .warn(
                "ORDER_SYNC_SECRET_KEY is not set: the access and refresh tokens order-sync "
                    + "obtains are stored in the database as given. Set it to store them "
                    + "encrypted.");
      }
      return PLAIN + value;
    }
    try {
      byte[] iv = new byte[12];
      random.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      byte[] sealed = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
      byte[] out = Arrays.copyOf(iv, iv.length + sealed.length);
      System.arraycopy(sealed, 0, out, iv.length, sealed.length);
      return SEALED + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The value, or null when it cannot be opened (sealed under another key, or no key now). */
  public String open(String stored) {
    if (stored == null) {
      return null;
    }
    if (stored.startsWith(PLAIN)) {
      return stored.substring(PLAIN.length());
    }
    if (!stored.startsWith(SEALED) || key == null) {
      return null;
    }
    try {
      byte[] all = Base64.getDecoder().decode(stored.substring(SEALED.length()));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
      return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
