package dev.parley.emulator;

public final class EmulatorMain {
    public static void main(String[] args) {
        throw new UnsupportedOperationException("emulator not written yet");
    }
}
