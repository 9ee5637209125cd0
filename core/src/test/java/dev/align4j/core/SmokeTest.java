package dev.align4j.core;
import ai.djl.ndarray.*;
import org.junit.jupiter.api.Test;
class SmokeTest {
  @Test void djlLoads() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[]{1,2,3});
      System.out.println(a.mul(2).sum().getFloat() + " " + ai.djl.engine.Engine.getInstance().getEngineName());
    }
  }
}
