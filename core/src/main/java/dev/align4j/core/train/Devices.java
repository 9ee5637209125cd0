package dev.align4j.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.align4j.core.UserInputException;

import java.util.Locale;

/** Turns the {@code device} setting into a DJL {@link Device}. */
public final class Devices {

    private Devices() {
    }

    /**
     * {@code auto} (or empty) picks GPU 0 when the engine reports a GPU, else the CPU; {@code cpu};
     * {@code gpu} is GPU 0; {@code gpu:N} is GPU N. Asking for a GPU that is not there is a user
     * error naming the setting.
     */
    public static Device resolve(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("auto")) {
            return Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        int id;
        if (s.equals("gpu") || s.equals("cuda")) {
            id = 0;
        } else if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
            try {
                id = Integer.parseInt(s.substring(s.indexOf(':') + 1));
            } catch (NumberFormatException e) {
                throw new UserInputException("device: '" + spec + "' has no GPU number after ':'");
            }
        } else {
            throw new UserInputException("device: unknown value '" + spec + "' (auto, cpu, gpu, gpu:N)");
        }
        int count = Engine.getInstance().getGpuCount();
        if (id < 0 || id >= count) {
            throw new UserInputException("device: '" + spec + "' asked for GPU " + id + " but the engine sees "
                    + count + " GPU(s)");
        }
        return Device.gpu(id);
    }
}
