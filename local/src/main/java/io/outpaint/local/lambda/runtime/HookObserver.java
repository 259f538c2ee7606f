package io.outpaint.local.lambda.runtime;

import com.amazonaws.services.lambda.crac.Context;
import com.amazonaws.services.lambda.crac.Core;
import com.amazonaws.services.lambda.crac.Resource;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Java agent in a rehearsed function's JVM that watches SnapStart's hooks without taking part:
 * registered before the function's code loads, its {@code beforeCheckpoint} runs last (the runtime
 * client runs them in reverse order of registration) and prints every hook registered, the
 * libraries' and ours, which have all run by then; its {@code afterRestore} runs first.
 */
public final class HookObserver implements Resource {

    /** Starts each line this observer prints, for the rehearsal to find in the function's output. */
    public static final String MARK = "outpaint-rehearsal:";

    // the runtime client keeps its hooks in a WeakHashMap: this one is held here
    private static final List<HookObserver> KEPT = new ArrayList<>();

    private HookObserver() {}

    public static void premain(String args) {
        HookObserver observer = new HookObserver();
        KEPT.add(observer);
        Core.getGlobalContext().register(observer);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        List<String> hooks = new ArrayList<>();
        try {
            Field queue = context.getClass().getDeclaredField("checkpointQueue");
            queue.setAccessible(true);
            for (Object resource : ((Map<?, ?>) queue.get(context)).keySet()) {
                if (resource != this) {
                    hooks.add(nameOf(resource));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            hooks.add("(unreadable: " + e + ")");
        }
        hooks.sort(null);
        System.out.println(MARK + " hooks " + String.join(",", hooks));
        System.out.flush();
    }

    /** A hook's class: org.crac's compatibility layer registers each hook behind a proxy, whose handler holds it. */
    private static String nameOf(Object resource) {
        if (!java.lang.reflect.Proxy.isProxyClass(resource.getClass())) {
            return resource.getClass().getName();
        }
        Object handler = java.lang.reflect.Proxy.getInvocationHandler(resource);
        // org.crac 1.5's handler is itself a weak reference to the hook
        if (handler instanceof java.lang.ref.Reference<?> ref && ref.get() != null) {
            return ref.get().getClass().getName();
        }
        for (Field field : handler.getClass().getDeclaredFields()) {
            try {
                field.setAccessible(true);
                Object held = field.get(handler);
                if (held instanceof java.lang.ref.Reference<?> ref) {
                    held = ref.get();
                }
                if (held != null && !(held instanceof Class<?>) && !java.lang.reflect.Proxy.isProxyClass(held.getClass())
                        && !held.getClass().getName().startsWith("java.")) {
                    return held.getClass().getName();
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // the next field, or the proxy's own name below
            }
        }
        return resource.getClass().getName();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        System.out.println(MARK + " restored");
        System.out.flush();
    }
}
