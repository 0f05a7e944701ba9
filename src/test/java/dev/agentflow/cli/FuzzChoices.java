package dev.agentflow.cli;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Random;

/**
 * Where the fuzzer's decisions come from: Jazzer's data (coverage-guided, reproducible from a corpus
 * file) or a seeded {@link Random} (a fixed run of the seeded test).
 */
interface FuzzChoices {

  /** A number in [min, max]. */
  int pick(int min, int max);

  /** Up to {@code max} raw bytes. */
  byte[] bytes(int max);

  static FuzzChoices of(FuzzedDataProvider data) {
    return new FuzzChoices() {
      @Override
      public int pick(int min, int max) {
        return data.consumeInt(min, max);
      }

      @Override
      public byte[] bytes(int max) {
        return data.consumeBytes(max);
      }
    };
  }

  static FuzzChoices of(Random random) {
    return new FuzzChoices() {
      @Override
      public int pick(int min, int max) {
        return min + random.nextInt(max - min + 1);
      }

      @Override
      public byte[] bytes(int max) {
        byte[] bytes = new byte[random.nextInt(max + 1)];
        random.nextBytes(bytes);
        return bytes;
      }
    };
  }
}
