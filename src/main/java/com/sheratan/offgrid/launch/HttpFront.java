package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.contract.Json;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * What stands in front of a role's routes on its HTTP server, before the first byte is read:
 * the {@link ConnectionGuard} (timeouts and the connection limit), and the start gate — until the
 * role's routes have all started, every request is answered {@code 503 {error:"starting"}} with
 * {@code Retry-After: 1} instead of the {@code 404} an unstarted route would give (a core retries a
 * 503 with the same attempt_id; a 404 it would take for a broker error and queue the job).
 * <p>
 * camel-platform-http-vertx makes the server itself and offers no hook before it listens, but it
 * takes the {@link Vertx} it finds in the registry. This configuration, applied after the role's
 * own, binds one: the role's Vert.x (made from the role's {@link VertxOptions} bean, if it has one),
 * seen through a proxy that adds the guard to every HTTP server it creates. The role's context
 * closes it when it stops.
 */
final class HttpFront implements CamelConfiguration {
    private final String roleName;
    private final ConnectionGuard guard;
    private final BodyLimit bodyLimit;
    private final StorageBodies storageBodies;

    HttpFront(String roleName, ConnectionGuard guard, BodyLimit bodyLimit, StorageBodies storageBodies) {
        this.roleName = roleName;
        this.guard = guard;
        this.bodyLimit = bodyLimit;
        this.storageBodies = storageBodies;
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        Set<VertxOptions> given = camelContext.getRegistry().findByType(VertxOptions.class);
        Vertx vertx = Vertx.vertx(given.size() == 1 ? given.iterator().next() : new VertxOptions());
        String starting = Json.mapper().createObjectNode().put("error", "starting")
                .put("detail", roleName + " is starting; try again shortly").toString();
        Handler<HttpServerRequest> gate = request -> request.response().setStatusCode(503)
                .putHeader("Content-Type", "application/json").putHeader("Retry-After", "1").end(starting);
        camelContext.getRegistry().bind("offgridVertx", Vertx.class, proxy(vertx, (method, args) -> {
            if (method.getName().equals("createHttpServer")) {
                if (args != null && args.length == 1 && args[0] instanceof HttpServerOptions options) {
                    // HTTP/2 cleartext detection holds a connection back until its first bytes have come:
                    // the guard would never see a connection that sends nothing. The roles speak HTTP/1.1.
                    options.setHttp2ClearTextEnabled(false);
                }
                HttpServer server = (HttpServer) method.invoke(vertx, args);
                server.connectionHandler(guard::connected);
                return guarded(server, camelContext, gate);
            }
            return NOT_HANDLED;
        }));
        guard.start(vertx);
        // closed once the context has stopped everything, its HTTP server included, which still needs it to stop
        camelContext.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStoppedEvent
                        || event instanceof CamelEvent.CamelContextStartupFailureEvent) {
                    guard.stop(vertx);
                    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            }
        });
    }

    /** The server, with every request passing the start gate and the guard before {@code handler}. */
    private HttpServer guarded(HttpServer server, CamelContext camelContext, Handler<HttpServerRequest> gate) {
        return proxy(server, (method, args) -> {
            if (method.getName().equals("requestHandler") && args != null && args.length == 1) {
                @SuppressWarnings("unchecked")
                Handler<HttpServerRequest> handler = (Handler<HttpServerRequest>) args[0];
                Handler<HttpServerRequest> limited = bodyLimit.before(storageBodies.before(handler));
                server.requestHandler(request -> guard.request(request,
                        camelContext.isStarted() ? limited : gate));
                return NOT_HANDLED_BUT_RETURN_PROXY;
            }
            return NOT_HANDLED;
        });
    }

    private static final Object NOT_HANDLED = new Object();
    private static final Object NOT_HANDLED_BUT_RETURN_PROXY = new Object();

    private interface Interceptor {
        Object call(Method method, Object[] args) throws Exception;
    }

    /**
     * A proxy of every interface {@code target} implements; {@code interceptor} answers the calls it
     * knows, the rest go to {@code target}. A fluent call that returns the target returns the proxy.
     */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(T target, Interceptor interceptor) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            collectInterfaces(type, interfaces);
        }
        Object[] self = new Object[1];
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                Object answer = interceptor.call(method, args);
                if (answer == NOT_HANDLED_BUT_RETURN_PROXY) {
                    return self[0];
                }
                if (answer != NOT_HANDLED) {
                    return answer;
                }
                Object result = method.invoke(target, args);
                return result == target ? self[0] : result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        self[0] = Proxy.newProxyInstance(HttpFront.class.getClassLoader(), interfaces.toArray(Class<?>[]::new), handler);
        return (T) self[0];
    }

    private static void collectInterfaces(Class<?> type, Set<Class<?>> into) {
        for (Class<?> each : type.getInterfaces()) {
            if (Modifier.isPublic(each.getModifiers()) && into.add(each)) {
                collectInterfaces(each, into);
            }
        }
    }
}
