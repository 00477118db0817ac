package io.runstream.worker.runner;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Resolves names as usual, then refuses any address the egress policy blocks, before a connection is made; a name
 * written as an IPv4 number is checked before it is resolved too.
 */
final class GuardedResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final EgressPolicy policy;

    GuardedResolverGroup(EgressPolicy policy) {
        this.policy = policy;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new Guarded(executor, DefaultAddressResolverGroup.INSTANCE.getResolver(executor));
    }

    /** One event loop's resolver. */
    private final class Guarded implements AddressResolver<InetSocketAddress> {

        private final EventExecutor executor;
        private final AddressResolver<InetSocketAddress> delegate;

        Guarded(EventExecutor executor, AddressResolver<InetSocketAddress> delegate) {
            this.executor = executor;
            this.delegate = delegate;
        }

        @Override
        public boolean isSupported(SocketAddress address) {
            return delegate.isSupported(address);
        }

        /** Never "already resolved": literal addresses go through the check too. */
        @Override
        public boolean isResolved(SocketAddress address) {
            return false;
        }

        @Override
        public Future<InetSocketAddress> resolve(SocketAddress address) {
            return resolve(address, executor.newPromise());
        }

        @Override
        public Future<InetSocketAddress> resolve(SocketAddress address, Promise<InetSocketAddress> promise) {
            if (blockedName(address)) {
                return promise.setFailure(blocked(((InetSocketAddress) address).getHostString()));
            }
            delegate.resolve(address).addListener(done -> {
                if (!done.isSuccess()) {
                    promise.setFailure(done.cause());
                    return;
                }
                InetSocketAddress resolved = (InetSocketAddress) done.getNow();
                if (policy.allows(resolved.getAddress())) {
                    promise.setSuccess(resolved);
                } else {
                    promise.setFailure(blocked(resolved.getAddress().getHostAddress()));
                }
            });
            return promise;
        }

        @Override
        public Future<List<InetSocketAddress>> resolveAll(SocketAddress address) {
            return resolveAll(address, executor.newPromise());
        }

        @Override
        public Future<List<InetSocketAddress>> resolveAll(SocketAddress address,
                Promise<List<InetSocketAddress>> promise) {
            if (blockedName(address)) {
                return promise.setFailure(blocked(((InetSocketAddress) address).getHostString()));
            }
            delegate.resolveAll(address).addListener(done -> {
                if (!done.isSuccess()) {
                    promise.setFailure(done.cause());
                    return;
                }
                @SuppressWarnings("unchecked")
                List<InetSocketAddress> all = (List<InetSocketAddress>) done.getNow();
                List<InetSocketAddress> allowed = all.stream().filter(a -> policy.allows(a.getAddress())).toList();
                if (allowed.isEmpty()) {
                    promise.setFailure(blocked(all.get(0).getAddress().getHostAddress()));
                } else {
                    promise.setSuccess(allowed);
                }
            });
            return promise;
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private boolean blockedName(SocketAddress address) {
        return address instanceof InetSocketAddress socket && socket.isUnresolved()
                && !policy.allowsHost(socket.getHostString());
    }

    private static ConnectException blocked(String host) {
        return new ConnectException("Calls to " + host + " are blocked by runstream.worker.http.blocked-networks");
    }
}
