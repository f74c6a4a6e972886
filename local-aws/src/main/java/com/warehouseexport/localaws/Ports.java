package com.warehouseexport.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports, for the emulators that cannot pick their own. */
public final class Ports {
    private Ports() {
    }

    /** The preferred port when it is free on loopback, else any free one. */
    public static int preferredOrFree(int preferred) {
        if (preferred > 0) {
            try (ServerSocket socket = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                return preferred;
            } catch (IOException taken) {
                // fall through to any free port
            }
        }
        return freeLoopbackPort();
    }

    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
