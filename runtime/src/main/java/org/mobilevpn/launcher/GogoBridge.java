package org.mobilevpn.launcher;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Runs a command line in a fresh Gogo session of the running framework. The launcher is outside
 * the framework and does not see Gogo's classes, so it calls Gogo's public interfaces reflectively.
 */
final class GogoBridge {

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    /** Gogo's Converter.INSPECT: how the console prints a command's result. */
    private static final int INSPECT = 0;

    /** What a command printed, and whether it succeeded. */
    record Result(boolean ok, String output) {
        static Result failed(String message) {
            return new Result(false, message.endsWith("\n") ? message : message + "\n");
        }
    }

    private final BundleContext context;

    GogoBridge(BundleContext context) {
        this.context = context;
    }

    Result execute(String commandLine) {
        ServiceReference<?> reference = context.getServiceReference(PROCESSOR);
        Object processor = reference == null ? null : context.getService(reference);
        if (processor == null) {
            return Result.failed("the Gogo command processor is not running (is the console feature installed and started?)");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            Class<?> processorType = publicInterface(processor.getClass(), PROCESSOR);
            Method createSession = processorType.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
            Object session = createSession.invoke(processor, InputStream.nullInputStream(), out, out);
            Class<?> sessionType = publicInterface(session.getClass(), SESSION);
            // as in the console: $.context is the framework's context, e.g. ($.context bundle 5) lastModified
            sessionType.getMethod("put", String.class, Object.class).invoke(session, ".context", context);
            try {
                Object result = sessionType.getMethod("execute", CharSequence.class).invoke(session, commandLine);
                if (result != null) {
                    out.println(sessionType.getMethod("format", Object.class, int.class).invoke(session, result, INSPECT));
                }
                return new Result(true, buffer.toString(StandardCharsets.UTF_8));
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                out.println(cause.getMessage() != null ? cause.getMessage() : cause.toString());
                return new Result(false, buffer.toString(StandardCharsets.UTF_8));
            } finally {
                sessionType.getMethod("close").invoke(session);
            }
        } catch (ReflectiveOperationException e) {
            return Result.failed("cannot run the command through Gogo: " + e);
        } finally {
            context.ungetService(reference);
        }
    }

    private static Class<?> publicInterface(Class<?> type, String name) throws ClassNotFoundException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> candidate : c.getInterfaces()) {
                if (candidate.getName().equals(name)) {
                    return candidate;
                }
            }
        }
        throw new ClassNotFoundException(name + " is not implemented by " + type.getName());
    }
}
