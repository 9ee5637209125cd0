package dev.align4j.core.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TfRecordTest {

    private static final byte[] DIGITS = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void maskedCrcOfTheCheckString() {
        // CRC32C("123456789") = 0xe3069283 (the standard check value);
        // rotate right 15: 0x25c7c60d, + 0xa282ead8 = 0xc78ab0e5 (mod 2^32)
        assertThat(TfRecord.maskedCrc32c(DIGITS, 0, DIGITS.length)).isEqualTo(0xc78ab0e5);
    }

    @Test
    void frameMatchesBytesFromAnIndependentBitwiseCrc() {
        // expected bytes from a bit-by-bit CRC32C (polynomial 0x82f63b78) written in Python:
        // length 9 as uint64 LE, masked CRC of those 8 bytes (0x3971f937), data, masked CRC (0xc78ab0e5)
        String expected = "0900000000000000" + "37f97139" + "313233343536373839" + "e5b08ac7";
        assertThat(HexFormat.of().formatHex(TfRecord.frame(DIGITS))).isEqualTo(expected);
    }

    @Test
    void readsBackEveryRecordAndRejectsACorruptByte(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("r");
        byte[] a = TfRecord.frame(DIGITS);
        byte[] b = TfRecord.frame(new byte[0]);
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Files.write(f, both);
        assertThat(TfRecord.readAll(f)).containsExactly(DIGITS, new byte[0]);

        both[14] ^= 1; // inside the data of the first record
        Files.write(f, both);
        assertThatThrownBy(() -> TfRecord.readAll(f)).hasMessageContaining("bad data CRC").hasMessageContaining("byte 0");

        both[14] ^= 1;
        both[2] ^= 1; // inside the length
        Files.write(f, both);
        assertThatThrownBy(() -> TfRecord.readAll(f)).hasMessageContaining("bad length CRC");

        both[2] ^= 1;
        Files.write(f, java.util.Arrays.copyOf(both, both.length - 3));
        assertThatThrownBy(() -> TfRecord.readAll(f)).hasMessageContaining("truncated");
    }
}
