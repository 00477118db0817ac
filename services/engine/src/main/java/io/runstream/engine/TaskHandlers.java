package io.runstream.engine;

import java.util.Map;

/** The handler of each kind of task: the one place a kind is registered. */
final class TaskHandlers {

    private static final Map<Class<? extends Task>, TaskHandler<?>> HANDLERS = Map.of(
            Task.SetTask.class, new SetHandler(),
            Task.SwitchTask.class, new SwitchHandler(),
            Task.RaiseTask.class, new RaiseHandler(),
            Task.WaitTask.class, new WaitHandler(),
            Task.DoTask.class, new DoHandler(),
            Task.ForTask.class, new ForHandler(),
            Task.ForkTask.class, new ForkHandler(),
            Task.TryTask.class, new TryHandler(),
            Task.CallTask.class, new CallHandler(),
            Task.UnsupportedTask.class, new UnsupportedHandler());

    private TaskHandlers() {
    }

    /** The handler of the task's kind. */
    @SuppressWarnings("unchecked")
    static TaskHandler<Task> of(Task task) {
        TaskHandler<?> handler = HANDLERS.get(task.getClass());
        if (handler == null) {
            throw new IllegalStateException("No handler for " + task.getClass().getSimpleName());
        }
        return (TaskHandler<Task>) handler;
    }
}
