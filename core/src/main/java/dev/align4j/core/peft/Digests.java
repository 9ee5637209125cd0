package dev.align4j.core.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for base-model identity (see {@link Adapters#baseModelHash}). */
final class Digests {

    private Digests() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /**
     * SHA-256 of an array's values as fp32 in native (little-endian on x86 and ARM) byte order, so
     * the digest depends on the values, not on how they were stored in a file.
     */
    static byte[] sha256(NDArray array) {
        MessageDigest md = sha256();
        try (NDScope scope = new NDScope()) {
            ByteBuffer bytes = array.toType(DataType.FLOAT32, false).toByteBuffer();
            md.update(bytes);
        }
        return md.digest();
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
